import { createChannel, openChannel } from '../helpers/apiTestKit';
import { connectSocket, type TestSocket } from '../helpers/socketClient';
import { createTestClock, signToken, startTestApp, type TestApp } from '../helpers/testApp';
import { commandsOf } from './realtimeTestKit';

const ADMIN_ID = '019ce156-1647-75b9-a5ba-07758a4f7675';

describe('Given a socket in the room of a discussion that requires a feature', () => {
  const clock = createTestClock('2026-03-17T10:15:00.000Z');
  const aliceToken = signToken('alice');
  let server: TestApp;
  let commands: ReturnType<typeof commandsOf>;
  let channelId: number;
  let discussionId: number;
  let socket: TestSocket;
  const ofType = (type: string, id: number) => (e: { eventType: string; data: Record<string, unknown> }) =>
    e.eventType === type && e.data.id === id;

  beforeAll(async () => {
    server = await startTestApp({ now: clock.now });
    commands = commandsOf(server);
    channelId = await createChannel(server, openChannel);
    discussionId = (await commands.configureDiscussion(channelId, { requiredFeatureKey: 'chat.discussion' })).id;
    await commands.grant('alice', 'features', 'chat.discussion');
    socket = await connectSocket(server.url, aliceToken);
  });
  afterAll(async () => {
    socket.close();
    await server.stop();
  });

  it('When alice joins by channel id, then she is in the discussion room', async () => {
    expect(await socket.call('communication:join_discussion', { channelId })).toEqual({
      ok: true,
      data: { room: `communication:discussion:${discussionId}:messages`, channelId, discussionId },
    });
  });

  it('When a user without the feature joins, then the ack is FORBIDDEN', async () => {
    const bob = await connectSocket(server.url, signToken('bob'));
    try {
      expect(await bob.call('communication:join_discussion', { channelId })).toMatchObject({
        ok: false,
        error: { code: 'FORBIDDEN', details: { reason: 'FEATURE_REQUIRED' } },
      });
      expect(await bob.call('communication:sync_discussion', { channelId })).toMatchObject({
        ok: false,
        error: { code: 'FORBIDDEN' },
      });
    } finally {
      bob.close();
    }
  });

  it('When alice posts a message, then communication.discussion_message.created carries it', async () => {
    const message = await commands.userMessage(channelId, aliceToken, 'waiting for confirmation');
    const event = await socket.waitFor(ofType('communication.discussion_message.created', message.id));
    expect(event).toEqual({
      eventId: expect.any(String),
      eventType: 'communication.discussion_message.created',
      occurredAt: '2026-03-17T10:15:00.000Z',
      data: {
        id: message.id,
        discussionId,
        channelId,
        authorType: 'USER',
        authorUserId: 'alice',
        authorAdminId: null,
        body: 'waiting for confirmation',
        createdAt: '2026-03-17T10:15:00.000Z',
        updatedAt: '2026-03-17T10:15:00.000Z',
        actor: { type: 'user', id: 'alice' },
      },
    });
  });

  it('When alice edits her message, then communication.discussion_message.updated carries the new body', async () => {
    const message = await commands.userMessage(channelId, aliceToken);
    clock.advance(1000);
    await commands.editOwn(message.id, aliceToken, 'edited body');
    const event = await socket.waitFor(ofType('communication.discussion_message.updated', message.id));
    expect(event.data).toEqual({
      id: message.id,
      discussionId,
      channelId,
      body: 'edited body',
      editedByUserId: 'alice',
      editedByAdminId: null,
      editedAt: clock.now().toISOString(),
      updatedAt: clock.now().toISOString(),
      actor: { type: 'user', id: 'alice' },
    });
  });

  it('When alice deletes her message, then communication.discussion_message.deleted is a tombstone', async () => {
    const message = await commands.userMessage(channelId, aliceToken, 'oops secret');
    await commands.deleteOwn(message.id, aliceToken);
    const event = await socket.waitFor(ofType('communication.discussion_message.deleted', message.id));
    expect(event.data).toEqual({
      id: message.id,
      discussionId,
      channelId,
      isDeleted: true,
      deletedAt: clock.now().toISOString(),
      deletedByUserId: 'alice',
      deletedByAdminId: null,
      updatedAt: clock.now().toISOString(),
      actor: { type: 'user', id: 'alice' },
    });
    expect(JSON.stringify(event)).not.toContain('secret');
  });

  it('When an admin posts, deletes and restores a message, then created, deleted and restored arrive in that order', async () => {
    const message = await commands.adminMessage(channelId, 'desk note');
    await commands.adminDelete(message.id);
    await commands.restore(message.id);
    const restored = await socket.waitFor(ofType('communication.discussion_message.restored', message.id));
    const sequence = socket.received.filter((e) => e.data.id === message.id).map((e) => e.eventType);
    expect(sequence).toEqual([
      'communication.discussion_message.created',
      'communication.discussion_message.deleted',
      'communication.discussion_message.restored',
    ]);
    expect(restored.data).toEqual({
      id: message.id,
      discussionId,
      channelId,
      isDeleted: false,
      deletedAt: null,
      restoredByAdminId: ADMIN_ID,
      restoredAt: clock.now().toISOString(),
      updatedAt: clock.now().toISOString(),
      actor: { type: 'admin', id: ADMIN_ID },
    });
  });

  it('When alice syncs the discussion from its first message, then she gets the rest in order', async () => {
    const all = socket.received.filter((e) => e.eventType.startsWith('communication.discussion_message.'));
    const ack = await socket.call('communication:sync_discussion', { channelId, sinceEventId: all[0].eventId });
    expect(ack).toMatchObject({ ok: true, data: { resetRequired: false, hasMore: false } });
    expect(ack.ok && !ack.data.resetRequired && ack.data.events).toEqual(all.slice(1));
  });

  it('When alice leaves the discussion, then later messages do not reach her', async () => {
    expect(await socket.call('communication:leave_discussion', { discussionId })).toEqual({
      ok: true,
      data: { room: `communication:discussion:${discussionId}:messages` },
    });
    const before = socket.received.length;
    const watcher = await connectSocket(server.url, aliceToken);
    try {
      await watcher.call('communication:join_discussion', { channelId });
      const message = await commands.adminMessage(channelId, 'after leave');
      await watcher.waitFor(ofType('communication.discussion_message.created', message.id));
      expect(socket.received.length).toBe(before);
    } finally {
      watcher.close();
    }
  });
});
