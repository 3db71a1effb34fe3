import { createChannel, gatedChannel, openChannel, publishPost } from '../helpers/apiTestKit';
import { connectSocket, type TestSocket } from '../helpers/socketClient';
import { createTestClock, signToken, startTestApp, type TestApp } from '../helpers/testApp';
import { commandsOf } from './realtimeTestKit';

describe('Given users in channel and discussion rooms', () => {
  const clock = createTestClock();
  let server: TestApp;
  let commands: ReturnType<typeof commandsOf>;
  const sockets: TestSocket[] = [];
  let nextUser = 0;
  const connect = async (userId: string) => {
    const socket = await connectSocket(server.url, signToken(userId));
    sockets.push(socket);
    return socket;
  };
  /** A gated channel with a discussion, and a user entitled to it (and to the discussion feature). */
  const gatedSetup = async (discussion: { requiredFeatureKey?: string | null } = {}) => {
    nextUser += 1;
    const userId = `user-${nextUser}`;
    const watcherId = `watcher-${nextUser}`;
    const channelId = await createChannel(server, gatedChannel);
    const { id: discussionId } = await commands.configureDiscussion(channelId, discussion);
    for (const id of [userId, watcherId]) {
      await commands.grant(id, 'entitlements', 'vip');
      if (discussion.requiredFeatureKey) await commands.grant(id, 'features', discussion.requiredFeatureKey);
    }
    const user = await connect(userId);
    const watcher = await connect(watcherId);
    for (const socket of [user, watcher]) {
      expect(await socket.call('communication:join_channel_posts', { channelId })).toMatchObject({ ok: true });
      expect(await socket.call('communication:join_discussion', { channelId })).toMatchObject({ ok: true });
    }
    return { userId, channelId, discussionId, user, watcher };
  };
  const postRoom = (channelId: number) => `communication:channel:${channelId}:posts`;
  const discussionRoom = (discussionId: number) => `communication:discussion:${discussionId}:messages`;

  beforeAll(async () => {
    server = await startTestApp({ now: clock.now });
    commands = commandsOf(server);
  });
  afterEach(() => sockets.splice(0).forEach((socket) => socket.close()));
  afterAll(() => server.stop());

  it('When a joined user’s entitlement is revoked, then their sockets leave both rooms at once with a notice, get no more deltas, and cannot rejoin in the push grace window', async () => {
    const { userId, channelId, discussionId, user, watcher } = await gatedSetup();
    await commands.joinChannel(channelId, signToken(userId));
    const second = await connect(userId);
    await second.call('communication:join_channel_posts', { channelId });

    await commands.revoke(userId, 'entitlements', 'vip');
    await user.waitForNotice((notice) => notice.data.room === discussionRoom(discussionId));
    await user.waitForNotice((notice) => notice.data.room === postRoom(channelId));
    const notice = await second.waitForNotice();
    expect(notice).toMatchObject({
      eventType: 'communication.room.access_revoked',
      data: { room: postRoom(channelId), channelId, discussionId: null, reason: 'ENTITLEMENT_REQUIRED' },
    });
    expect(user.notices.find((n) => n.data.room === discussionRoom(discussionId))?.data).toMatchObject({
      channelId,
      discussionId,
      reason: 'CHANNEL_ACCESS',
    });

    const post = await publishPost(server, channelId);
    const message = await commands.adminMessage(channelId);
    await watcher.waitFor((event) => event.data.id === post.id);
    await watcher.waitFor((event) => event.data.id === message.id);
    expect(user.received).toEqual([]);
    expect(second.received).toEqual([]);

    expect(await user.call('communication:join_channel_posts', { channelId })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    expect(await user.call('communication:join_discussion', { channelId })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
  });

  it('When a user is banned from the discussion, then only their discussion room is left, with reason BANNED', async () => {
    const { userId, channelId, discussionId, user, watcher } = await gatedSetup();
    await commands.ban(channelId, userId);
    const notice = await user.waitForNotice();
    expect(notice.data).toEqual({ room: discussionRoom(discussionId), channelId, discussionId, reason: 'BANNED' });
    const post = await publishPost(server, channelId);
    await user.waitFor((event) => event.data.id === post.id);
    expect(watcher.notices).toEqual([]);
    expect(await user.call('communication:join_discussion', { channelId })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN', details: { reason: 'BANNED' } },
    });
  });

  it('When the discussion is disabled, then every socket leaves its room with reason DISCUSSION_DISABLED', async () => {
    const { channelId, discussionId, user, watcher } = await gatedSetup();
    await commands.configureDiscussion(channelId, { isEnabled: false });
    for (const socket of [user, watcher]) {
      expect((await socket.waitForNotice()).data).toMatchObject({
        room: discussionRoom(discussionId),
        reason: 'DISCUSSION_DISABLED',
      });
    }
  });

  it('When the discussion’s required feature is revoked from a user, then that user leaves the discussion room only', async () => {
    const { userId, channelId, discussionId, user, watcher } = await gatedSetup({
      requiredFeatureKey: 'chat.discussion',
    });
    await commands.revoke(userId, 'features', 'chat.discussion');
    expect((await user.waitForNotice()).data).toMatchObject({
      room: discussionRoom(discussionId),
      reason: 'FEATURE_REQUIRED',
    });
    const message = await commands.adminMessage(channelId);
    const post = await publishPost(server, channelId);
    await watcher.waitFor((event) => event.data.id === message.id);
    await user.waitFor((event) => event.data.id === post.id);
    expect(user.received.map((event) => event.data.id)).not.toContain(message.id);
  });

  it('When an open channel becomes gated, then users without the entitlement are evicted and entitled ones stay', async () => {
    const channelId = await createChannel(server, openChannel);
    await commands.grant('entitled', 'entitlements', 'gold');
    const outsider = await connect('outsider');
    const entitled = await connect('entitled');
    for (const socket of [outsider, entitled]) await socket.call('communication:join_channel_posts', { channelId });
    await commands.patchChannel(channelId, { accessPolicy: 'EXTERNAL_GATED', entitlementKey: 'gold' });
    expect((await outsider.waitForNotice()).data).toMatchObject({
      room: postRoom(channelId),
      reason: 'ENTITLEMENT_REQUIRED',
    });
    const post = await publishPost(server, channelId);
    await entitled.waitFor((event) => event.data.id === post.id);
    expect(entitled.notices).toEqual([]);
    expect(outsider.received).toEqual([]);
  });

  it('When an entitlement’s validUntil passes on an open connection, then the socket is evicted by its timer', async () => {
    const channelId = await createChannel(server, gatedChannel);
    const validUntil = new Date(clock.now().getTime() + 1500).toISOString();
    await commands.grant('expiring', 'entitlements', 'vip', validUntil);
    const socket = await connect('expiring');
    expect(await socket.call('communication:join_channel_posts', { channelId })).toMatchObject({ ok: true });
    clock.advance(2000);
    try {
      expect((await socket.waitForNotice()).data).toMatchObject({
        room: postRoom(channelId),
        reason: 'ENTITLEMENT_REQUIRED',
      });
    } finally {
      clock.advance(-2000);
    }
  });
});
