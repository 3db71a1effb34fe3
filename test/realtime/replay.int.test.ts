import { v7 as uuidv7 } from 'uuid';
import { adminToken, createChannel, openChannel, publishPost } from '../helpers/apiTestKit';
import { connectSocket, type TestSocket } from '../helpers/socketClient';
import { createTestClock, signToken, startTestApp, type TestApp } from '../helpers/testApp';

describe('Given a client that follows a channel and then loses its connection', () => {
  const clock = createTestClock();
  let server: TestApp;
  const sockets: TestSocket[] = [];
  const connect = async (userId = 'user-1') => {
    // Valid for two days: some tests move the clock a day ahead.
    const socket = await connectSocket(server.url, signToken(userId, 'user', 2 * 24 * 3600));
    sockets.push(socket);
    return socket;
  };
  /** A second client that never disconnects: what it saw is the ground truth. */
  const followChannel = async () => {
    const channelId = await createChannel(server, openChannel);
    const observer = await connect('observer');
    await observer.call('communication:join_channel_posts', { channelId });
    const client = await connect();
    await client.call('communication:join_channel_posts', { channelId });
    const first = await publishPost(server, channelId);
    const seen = await client.waitFor((event) => event.data.id === first.id);
    client.close();
    return { channelId, observer, lastSeen: seen.eventId };
  };
  const burst = async (channelId: number, count: number) => {
    const ids: string[] = [];
    for (let i = 0; i < count; i += 1) {
      const post = await publishPost(server, channelId, { type: 'TEXT', bodyText: `missed ${i}` });
      ids.push(post.id);
      if (i % 5 === 2) {
        const edit = await server.request('PATCH', `/api/admin/posts/${post.id}`, {
          token: adminToken,
          body: { bodyText: 'x' },
        });
        expect(edit.status).toBe(200);
      }
    }
    return ids;
  };

  beforeAll(async () => {
    server = await startTestApp({ now: clock.now });
  });
  afterEach(() => sockets.splice(0).forEach((socket) => socket.close()));
  afterAll(() => server.stop());

  it('When it reconnects, rejoins and syncs from its last event, then it gets every missed event once, in order', async () => {
    const { channelId, observer, lastSeen } = await followChannel();
    const ids = await burst(channelId, 12);
    await observer.waitFor((event) => event.data.id === ids[ids.length - 1]);
    const truth = observer.received.slice(observer.received.findIndex((event) => event.eventId === lastSeen) + 1);

    const client = await connect();
    await client.call('communication:join_channel_posts', { channelId });
    const ack = await client.call('communication:sync_channel_posts', { channelId, sinceEventId: lastSeen });

    expect(ack).toMatchObject({ ok: true, data: { resetRequired: false, hasMore: false } });
    expect(ack.ok && ack.data.resetRequired === false && ack.data.events).toEqual(truth);
    expect(ack.ok && ack.data.resetRequired === false && ack.data.lastEventId).toBe(truth[truth.length - 1].eventId);
    expect(new Set(truth.map((event) => event.eventId)).size).toBe(truth.length);
  });

  it('When it syncs with a small limit, then pages follow each other with hasMore until the end, without gap or repeat', async () => {
    const { channelId, observer, lastSeen } = await followChannel();
    const ids = await burst(channelId, 11); // 11 posts + 2 edits = 13 events
    await observer.waitFor((event) => event.data.id === ids[ids.length - 1]);
    const truth = observer.received.slice(observer.received.findIndex((event) => event.eventId === lastSeen) + 1);

    const client = await connect();
    const replayed: unknown[] = [];
    const hasMore: boolean[] = [];
    let cursor = lastSeen;
    for (;;) {
      const ack = await client.call('communication:sync_channel_posts', { channelId, sinceEventId: cursor, limit: 4 });
      if (!ack.ok || ack.data.resetRequired) throw new Error(`unexpected answer ${JSON.stringify(ack)}`);
      replayed.push(...ack.data.events);
      hasMore.push(ack.data.hasMore);
      cursor = ack.data.lastEventId;
      if (!ack.data.hasMore) break;
    }
    expect(replayed).toEqual(truth);
    expect(hasMore).toEqual([true, true, true, false]);
  });

  it('When it is already up to date, then the sync returns nothing and keeps its cursor', async () => {
    const { channelId, lastSeen } = await followChannel();
    const client = await connect();
    const ack = await client.call('communication:sync_channel_posts', { channelId, sinceEventId: lastSeen });
    expect(ack).toMatchObject({
      ok: true,
      data: { resetRequired: false, events: [], hasMore: false, lastEventId: lastSeen },
    });
  });

  describe('and the replay cannot be served', () => {
    it('When the sinceEventId was never written, then resetRequired with UNKNOWN_EVENT_ID', async () => {
      const { channelId } = await followChannel();
      const client = await connect();
      const ack = await client.call('communication:sync_channel_posts', { channelId, sinceEventId: uuidv7() });
      expect(ack).toMatchObject({ ok: true, data: { resetRequired: true, reason: 'UNKNOWN_EVENT_ID' } });
    });

    it('When the sinceEventId belongs to another channel, then resetRequired with UNKNOWN_EVENT_ID', async () => {
      const other = await followChannel();
      const { channelId } = await followChannel();
      const client = await connect();
      const ack = await client.call('communication:sync_channel_posts', { channelId, sinceEventId: other.lastSeen });
      expect(ack).toMatchObject({ ok: true, data: { resetRequired: true, reason: 'UNKNOWN_EVENT_ID' } });
    });

    it('When the first missed event is more than 24 hours old, then resetRequired with TOO_FAR_BEHIND', async () => {
      const { channelId, lastSeen } = await followChannel();
      await burst(channelId, 2);
      clock.advance(25 * 60 * 60 * 1000);
      try {
        const client = await connect();
        const ack = await client.call('communication:sync_channel_posts', { channelId, sinceEventId: lastSeen });
        expect(ack).toMatchObject({ ok: true, data: { resetRequired: true, reason: 'TOO_FAR_BEHIND' } });
      } finally {
        clock.advance(-25 * 60 * 60 * 1000);
      }
    });

    it('When the channel access policy changed after the cursor, then resetRequired with ACCESS_CHANGED', async () => {
      const { channelId, lastSeen } = await followChannel();
      const patch = (body: object) =>
        server.request('PATCH', `/api/admin/channels/${channelId}`, { token: adminToken, body });
      expect((await patch({ accessPolicy: 'EXTERNAL_GATED', entitlementKey: 'vip' })).status).toBe(200);
      expect((await patch({ accessPolicy: 'OPEN' })).status).toBe(200);
      const client = await connect();
      const ack = await client.call('communication:sync_channel_posts', { channelId, sinceEventId: lastSeen });
      expect(ack).toMatchObject({ ok: true, data: { resetRequired: true, reason: 'ACCESS_CHANGED' } });
    });
  });
});
