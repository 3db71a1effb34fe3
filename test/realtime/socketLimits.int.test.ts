import { createChannel, publishPost, signToken, startTestApp, type TestApp } from '../helpers/apiTestKit';
import { connectSocket, type TestSocket } from '../helpers/socketClient';
import { TEST_OPS_TOKEN } from '../helpers/testApp';

const SYNC = 'communication:sync_channel_posts';
const JOIN = 'communication:join_channel_posts';

/** The id of the channel's first event (ChannelCreated), a valid cursor from which every post follows. */
const firstEventId = async (server: TestApp, channelId: number): Promise<string> => {
  const [first] = await server.app.eventStore.readStream(`channel-${channelId}`, { maxCount: 1 });
  return first.id;
};

const connectedSockets = async (server: TestApp): Promise<number> => {
  const text = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${TEST_OPS_TOKEN}` } }).then(
    (response) => response.text(),
  );
  return Number(/^realtime_connected_sockets (\d+)$/m.exec(text)?.[1]);
};

const waitUntil = async (condition: () => Promise<boolean>, timeoutMs: number) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return true;
};

describe('Given a server with small socket budgets (5 points per socket and 8 per user per 10 s)', () => {
  let server: TestApp;
  let channelId: number;
  const sockets: TestSocket[] = [];
  const connect = async (token: string) => {
    const socket = await connectSocket(server.url, token);
    sockets.push(socket);
    return socket;
  };
  beforeAll(async () => {
    server = await startTestApp({ env: { SOCKET_POINTS_PER_10S: '5', SOCKET_USER_POINTS_PER_10S: '8' } });
    channelId = await createChannel(server);
  });
  afterAll(async () => {
    sockets.forEach((socket) => socket.close());
    await server.stop();
  });

  it('When one socket sends a sixth event within 10 s, then it is answered RATE_LIMITED with retryAfterMs and the socket stays connected', async () => {
    const socket = await connect(signToken('rate-user-1'));
    for (let i = 0; i < 5; i += 1) expect(await socket.call(JOIN, { channelId })).toMatchObject({ ok: true });
    const limited = await socket.call(JOIN, { channelId });
    expect(limited).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED' } });
    const { retryAfterMs } = (limited as { error: { details: { retryAfterMs: number } } }).error.details;
    expect(retryAfterMs).toBeGreaterThan(0);
    expect(retryAfterMs).toBeLessThanOrEqual(10_000);
    expect(socket.socket.connected).toBe(true);
  });

  it('When one user spreads events over two sockets, then the user budget stops them, and another user is not affected', async () => {
    const first = await connect(signToken('rate-user-2'));
    const second = await connect(signToken('rate-user-2'));
    const answers = [];
    for (let i = 0; i < 5; i += 1) answers.push(await first.call(JOIN, { channelId }));
    for (let i = 0; i < 4; i += 1) answers.push(await second.call(JOIN, { channelId }));
    expect(answers.slice(0, 8).every((answer) => answer.ok)).toBe(true);
    expect(answers[8]).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED' } });
    const other = await connect(signToken('rate-user-3'));
    expect(await other.call(JOIN, { channelId })).toMatchObject({ ok: true });
  });

  it('When a sync asks for 1,000 events, then it costs 11 points, capped at the budget: the next event on that socket is RATE_LIMITED', async () => {
    const socket = await connect(signToken('rate-user-4'));
    expect(await socket.call(SYNC, { channelId, limit: 1000 })).toMatchObject({ ok: true });
    expect(await socket.call(JOIN, { channelId })).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED' } });
  });
});

describe('Given a channel of 60 posts of 8 KB each, a 16 KB sync byte bound and at most 4 events in flight per socket', () => {
  let server: TestApp;
  let channelId: number;
  let socket: TestSocket;
  beforeAll(async () => {
    server = await startTestApp({
      env: {
        SYNC_MAX_BYTES: '16384',
        SOCKET_MAX_IN_FLIGHT: '4',
        SOCKET_POINTS_PER_10S: '100000',
        SOCKET_USER_POINTS_PER_10S: '100000',
      },
    });
    channelId = await createChannel(server);
    for (let i = 0; i < 60; i += 1)
      await publishPost(server, channelId, { type: 'TEXT', bodyText: `${i} ${'x'.repeat(8000)}` });
    socket = await connectSocket(server.url, signToken('reader'));
  });
  afterAll(async () => {
    socket.close();
    await server.stop();
  });

  it('When a client syncs with limit 1000, then each page stays within the bound, hasMore carries the rest and paging returns every post once', async () => {
    let cursor = await firstEventId(server, channelId);
    const seen: string[] = [];
    for (let pages = 0; pages < 100; pages += 1) {
      const answer = await socket.call(SYNC, { channelId, sinceEventId: cursor, limit: 1000 });
      expect(answer.ok).toBe(true);
      const data = (
        answer as { data: { events: Array<{ data: { id: string } }>; hasMore: boolean; lastEventId: string } }
      ).data;
      expect(Buffer.byteLength(JSON.stringify(data.events))).toBeLessThanOrEqual(16384 + 2);
      expect(data.events.length).toBeGreaterThan(0);
      seen.push(...data.events.map((event) => event.data.id));
      cursor = data.lastEventId;
      if (!data.hasMore) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(seen).toHaveLength(60);
    expect(new Set(seen).size).toBe(60);
  });

  it('When one socket sends 50 syncs without waiting, then every one is answered (ok or RATE_LIMITED) and the socket stays connected', async () => {
    const cursor = await firstEventId(server, channelId);
    const answers = await Promise.all(
      Array.from({ length: 50 }, () => socket.call(SYNC, { channelId, sinceEventId: cursor, limit: 1000 })),
    );
    const codes = answers.map((answer) => (answer.ok ? 'ok' : answer.error.code));
    expect(codes.filter((code) => code === 'RATE_LIMITED').length).toBeGreaterThan(0);
    expect(codes.every((code) => code === 'ok' || code === 'RATE_LIMITED')).toBe(true);
    expect(socket.socket.connected).toBe(true);
  });
});

describe('Given a server with a 64 KB send-buffer bound and a 0.5 s authentication grace', () => {
  let server: TestApp;
  let channelId: number;
  beforeAll(async () => {
    server = await startTestApp({
      env: {
        SOCKET_MAX_SEND_BUFFER_BYTES: '65536',
        SOCKET_AUTH_GRACE_MS: '500',
        SOCKET_MAX_IN_FLIGHT: '100',
        SOCKET_POINTS_PER_10S: '100000',
        SOCKET_USER_POINTS_PER_10S: '100000',
      },
    });
    channelId = await createChannel(server);
    for (let i = 0; i < 40; i += 1)
      await publishPost(server, channelId, { type: 'TEXT', bodyText: `${i} ${'y'.repeat(19000)}` });
  });
  afterAll(() => server.stop());

  it('When a client stops reading while large answers pile up, then the server disconnects it; the server keeps serving others', async () => {
    const slow = await connectSocket(server.url, signToken('slow-reader'));
    const healthy = await connectSocket(server.url, signToken('healthy-reader'));
    try {
      const engine = slow.socket.io.engine as unknown as { transport: { ws: { _socket: { pause: () => void } } } };
      engine.transport.ws._socket.pause();
      const cursor = await firstEventId(server, channelId);
      // ~30 MB of answers (each sync ~0.76 MB): far past what the OS socket buffers hold.
      for (let i = 0; i < 40; i += 1)
        slow.socket.emit(SYNC, { channelId, sinceEventId: cursor, limit: 1000 }, () => undefined);
      expect(await waitUntil(async () => (await connectedSockets(server)) === 1, 20_000)).toBe(true);
      expect(healthy.socket.connected).toBe(true);
      expect(await healthy.call(JOIN, { channelId })).toMatchObject({ ok: true });
    } finally {
      slow.close();
      healthy.close();
    }
  }, 40_000);

  it('When a socket connects without a token, then it is closed once the grace passes', async () => {
    const anonymous = await connectSocket(server.url, undefined);
    try {
      expect(await anonymous.waitForDisconnect()).toBe('io server disconnect');
    } finally {
      anonymous.close();
    }
  });

  it('When a socket connects with a valid token, then the grace does not apply', async () => {
    const socket = await connectSocket(server.url, signToken('patient-user'));
    try {
      await new Promise((resolve) => setTimeout(resolve, 1200));
      expect(socket.socket.connected).toBe(true);
    } finally {
      socket.close();
    }
  });
});
