import { adminToken, createChannel, gatedChannel, openChannel, publishPost } from '../helpers/apiTestKit';
import { connectSocket, type TestSocket } from '../helpers/socketClient';
import { createTestClock, signToken, startTestApp, type TestApp } from '../helpers/testApp';

describe('Given a running server with an open and a gated channel', () => {
  const clock = createTestClock();
  let server: TestApp;
  let openId: number;
  let gatedId: number;
  const sockets: TestSocket[] = [];
  const connect = async (token: string | undefined = signToken('user-1')) => {
    const socket = await connectSocket(server.url, token);
    sockets.push(socket);
    return socket;
  };

  beforeAll(async () => {
    server = await startTestApp({ now: clock.now });
    openId = await createChannel(server, openChannel);
    gatedId = await createChannel(server, gatedChannel);
  });
  afterEach(() => sockets.splice(0).forEach((socket) => socket.close()));
  afterAll(() => server.stop());

  describe('authentication', () => {
    const everyEvent: Array<[string, unknown]> = [
      ['communication:join_channel_posts', { channelId: 1 }],
      ['communication:leave_channel_posts', { channelId: 1 }],
      ['communication:join_discussion', { channelId: 1 }],
      ['communication:leave_discussion', { discussionId: 1 }],
      ['communication:sync_channel_posts', { channelId: 1 }],
      ['communication:sync_discussion', { channelId: 1 }],
    ];

    it('When no token is sent, then the socket connects but every communication event answers UNAUTHORIZED', async () => {
      const socket = await connectSocket(server.url, undefined);
      sockets.push(socket);
      for (const [event, payload] of everyEvent) {
        const ack = await socket.call(event, payload);
        expect({ event, ack }).toMatchObject({ event, ack: { ok: false, error: { code: 'UNAUTHORIZED' } } });
      }
    });

    it('When the token is not a valid JWT, then events answer UNAUTHORIZED "Invalid token" and nothing is joined', async () => {
      const socket = await connect('not-a-jwt');
      const ack = await socket.call('communication:join_channel_posts', { channelId: openId });
      expect(ack).toEqual({ ok: false, error: { code: 'UNAUTHORIZED', message: 'Invalid token' } });
      await publishPost(server, openId, { type: 'TEXT', bodyText: 'not for anonymous sockets' });
      const watcher = await connect();
      await watcher.call('communication:join_channel_posts', { channelId: openId });
      await publishPost(server, openId, { type: 'TEXT', bodyText: 'seen by the watcher' });
      await watcher.waitFor((envelope) => envelope.eventType === 'communication.channel_post.created');
      expect(socket.received).toEqual([]);
    });

    it('When the token has expired, then events answer UNAUTHORIZED "Token expired"', async () => {
      const socket = await connect(signToken('user-1', 'user', -10));
      const ack = await socket.call('communication:sync_channel_posts', { channelId: openId });
      expect(ack).toEqual({ ok: false, error: { code: 'UNAUTHORIZED', message: 'Token expired' } });
    });

    it('When the token comes in an Authorization: Bearer header, then it authenticates the socket', async () => {
      const socket = await connectSocket(server.url, signToken('user-1'), { via: 'header' });
      sockets.push(socket);
      const ack = await socket.call('communication:join_channel_posts', { channelId: openId });
      expect(ack.ok).toBe(true);
    });
  });

  describe('communication:join_channel_posts', () => {
    it('When the channel is open, then the socket joins its posts room', async () => {
      const socket = await connect();
      const ack = await socket.call('communication:join_channel_posts', { channelId: openId });
      expect(ack).toEqual({
        ok: true,
        data: { room: `communication:channel:${openId}:posts`, channelId: openId, discussionId: null },
      });
    });

    it.each([
      ['no payload', []],
      ['a string id', [{ channelId: '1' }]],
      ['a zero id', [{ channelId: 0 }]],
      ['an extra field', [{ channelId: 1, extra: true }]],
      ['a non-object payload', ['1']],
    ])('When the payload is %s, then the ack is VALIDATION_ERROR', async (_what, args) => {
      const socket = await connect();
      const ack = await socket.call('communication:join_channel_posts', ...args);
      expect(ack).toMatchObject({ ok: false, error: { code: 'VALIDATION_ERROR' } });
    });

    it('When the channel does not exist, then the ack is NOT_FOUND', async () => {
      const socket = await connect();
      const ack = await socket.call('communication:join_channel_posts', { channelId: 999999 });
      expect(ack).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    });

    it('When the channel is gated and the user has no entitlement, then the ack is FORBIDDEN', async () => {
      const socket = await connect();
      const ack = await socket.call('communication:join_channel_posts', { channelId: gatedId });
      expect(ack).toMatchObject({
        ok: false,
        error: { code: 'FORBIDDEN', details: { reason: 'ENTITLEMENT_REQUIRED' } },
      });
    });

    it('When a forbidden join was refused, then no post of that channel reaches the socket', async () => {
      const socket = await connect();
      await socket.call('communication:join_channel_posts', { channelId: gatedId });
      await socket.call('communication:join_channel_posts', { channelId: openId });
      await publishPost(server, gatedId, { type: 'TEXT', bodyText: 'locked' });
      const open = await publishPost(server, openId, { type: 'TEXT', bodyText: 'after' });
      await socket.waitFor((event) => event.data.id === open.id);
      expect(socket.received.map((event) => event.data.channelId)).not.toContain(gatedId);
    });
  });

  describe('communication:leave_channel_posts', () => {
    it('When a joined socket leaves, then it is acknowledged and later posts do not reach it', async () => {
      const leaver = await connect();
      const stayer = await connect();
      await leaver.call('communication:join_channel_posts', { channelId: openId });
      await stayer.call('communication:join_channel_posts', { channelId: openId });
      const ack = await leaver.call('communication:leave_channel_posts', { channelId: openId });
      expect(ack).toEqual({ ok: true, data: { room: `communication:channel:${openId}:posts` } });
      const post = await publishPost(server, openId);
      await stayer.waitFor((event) => event.data.id === post.id);
      expect(leaver.received).toEqual([]);
    });

    it('When the payload is invalid, then the ack is VALIDATION_ERROR', async () => {
      const socket = await connect();
      const ack = await socket.call('communication:leave_channel_posts', { channel: openId });
      expect(ack).toMatchObject({ ok: false, error: { code: 'VALIDATION_ERROR' } });
    });
  });

  describe('communication:join_discussion and leave_discussion', () => {
    it('When the channel has no discussion, then join_discussion is NOT_FOUND', async () => {
      const socket = await connect();
      const ack = await socket.call('communication:join_discussion', { channelId: openId });
      expect(ack).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    });

    it('When join_discussion gets a discussionId instead of a channelId, then the ack is VALIDATION_ERROR', async () => {
      const socket = await connect();
      const ack = await socket.call('communication:join_discussion', { discussionId: 1 });
      expect(ack).toMatchObject({ ok: false, error: { code: 'VALIDATION_ERROR' } });
    });

    it('When leave_discussion names a discussion, then it is acknowledged with its room', async () => {
      const socket = await connect();
      const ack = await socket.call('communication:leave_discussion', { discussionId: 7 });
      expect(ack).toEqual({ ok: true, data: { room: 'communication:discussion:7:messages' } });
    });

    it('When leave_discussion gets a channelId, then the ack is VALIDATION_ERROR', async () => {
      const socket = await connect();
      const ack = await socket.call('communication:leave_discussion', { channelId: 7 });
      expect(ack).toMatchObject({ ok: false, error: { code: 'VALIDATION_ERROR' } });
    });
  });

  describe('communication:sync_channel_posts', () => {
    it('When no sinceEventId is sent, then the latest event id of the room is the starting point', async () => {
      const channelId = await createChannel(server, openChannel);
      const socket = await connect();
      const empty = await socket.call('communication:sync_channel_posts', { channelId });
      await socket.call('communication:join_channel_posts', { channelId });
      const post = await publishPost(server, channelId);
      const live = await socket.waitFor((event) => event.data.id === post.id);
      const ack = await socket.call('communication:sync_channel_posts', { channelId });
      expect(ack).toEqual({
        ok: true,
        data: {
          resetRequired: false,
          room: `communication:channel:${channelId}:posts`,
          events: [],
          hasMore: false,
          lastEventId: live.eventId,
        },
      });
      expect(empty).toMatchObject({ ok: true, data: { events: [], lastEventId: expect.any(String) } });
    });

    it.each([
      ['a limit above the maximum', { limit: 1001 }],
      ['a zero limit', { limit: 0 }],
      ['a numeric sinceEventId', { sinceEventId: 5 }],
      ['an empty sinceEventId', { sinceEventId: '' }],
      ['a sinceEventId with spaces', { sinceEventId: 'a b' }],
    ])('When the payload has %s, then the ack is VALIDATION_ERROR', async (_what, extra) => {
      const socket = await connect();
      const ack = await socket.call('communication:sync_channel_posts', { channelId: openId, ...extra });
      expect(ack).toMatchObject({ ok: false, error: { code: 'VALIDATION_ERROR' } });
    });

    it('When the channel is gated and the user has no entitlement, then the ack is FORBIDDEN', async () => {
      const socket = await connect();
      const ack = await socket.call('communication:sync_channel_posts', { channelId: gatedId });
      expect(ack).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    });

    it('When the channel does not exist, then the ack is NOT_FOUND', async () => {
      const socket = await connect();
      const ack = await socket.call('communication:sync_channel_posts', { channelId: 424242 });
      expect(ack).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    });
  });

  describe('communication:sync_discussion', () => {
    it('When the channel has no discussion, then the ack is NOT_FOUND', async () => {
      const socket = await connect();
      const ack = await socket.call('communication:sync_discussion', { channelId: openId });
      expect(ack).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    });

    it('When the payload misses the channelId, then the ack is VALIDATION_ERROR', async () => {
      const socket = await connect();
      const ack = await socket.call('communication:sync_discussion', { sinceEventId: 'x' });
      expect(ack).toMatchObject({ ok: false, error: { code: 'VALIDATION_ERROR' } });
    });
  });

  describe('an open connection whose token expires', () => {
    it('When the clock passes the token expiry, then every client event is answered UNAUTHORIZED', async () => {
      // Tokens expire on the real clock, which runs on while the suite's clock stands still: align them first.
      const before = clock.now();
      clock.set(new Date().toISOString());
      const socket = await connect(signToken('user-1', 'user', 60));
      expect(await socket.call('communication:join_channel_posts', { channelId: openId })).toMatchObject({ ok: true });
      clock.advance(61_000);
      try {
        const ack = await socket.call('communication:sync_channel_posts', { channelId: openId });
        expect(ack).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED', message: 'Token expired' } });
      } finally {
        clock.set(before.toISOString());
      }
    });

    it('When its expiry timer fires with the clock past the expiry, then the server disconnects the socket', async () => {
      const before = clock.now();
      clock.set(new Date().toISOString());
      const socket = await connect(signToken('user-1', 'user', 2));
      clock.advance(3_000);
      try {
        expect(await socket.waitForDisconnect()).toBe('io server disconnect');
      } finally {
        clock.set(before.toISOString());
      }
    });
  });

  it('When an admin token connects, then it is authenticated like any user (no bypass of channel access)', async () => {
    const socket = await connect(adminToken);
    const ack = await socket.call('communication:join_channel_posts', { channelId: gatedId });
    expect(ack).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });
});
