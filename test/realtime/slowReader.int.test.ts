import { createChannel, publishPost, signToken, startTestApp, type TestApp } from '../helpers/apiTestKit';
import { connectSocket } from '../helpers/socketClient';
import { TEST_OPS_TOKEN } from '../helpers/testApp';
import { CLOSE_GRACE_MS } from '../../src/realtime/sendBufferGuard';

const JOIN = 'communication:join_channel_posts';

const connectedSockets = async (server: TestApp): Promise<number> => {
  const text = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${TEST_OPS_TOKEN}` } }).then(
    (response) => response.text(),
  );
  return Number(/^realtime_connected_sockets (\d+)$/m.exec(text)?.[1]);
};

/** A post of about 40 KB: the longest body and twenty attachments with long keys and names. */
const largePost = (i: number) => ({
  type: 'TEXT',
  bodyText: `${i} ${'z'.repeat(19_000)}`,
  attachments: Array.from({ length: 20 }, (_, k) => ({
    storageKey: `posts/${i}/${k}-${'k'.repeat(480)}.png`,
    fileName: `${k}-${'f'.repeat(240)}.png`,
    mimeType: 'image/png',
    sizeBytes: 1000,
    displayOrder: k,
  })),
});

type Disconnect = { reason: string; details?: { context?: { code?: number; reason?: unknown } } };

describe('Given a server with a 64 KB send-buffer bound and a channel that publishes large posts', () => {
  let server: TestApp;
  let channelId: number;
  beforeAll(async () => {
    server = await startTestApp({ env: { SOCKET_MAX_SEND_BUFFER_BYTES: '65536' } });
    channelId = await createChannel(server);
  });
  afterAll(() => server.stop());

  /** Joins, stops reading, and publishes large posts until the server lets go of the socket. */
  const stopReadingUntilDropped = async (user: string) => {
    const slow = await connectSocket(server.url, signToken(user));
    expect(await slow.call(JOIN, { channelId })).toMatchObject({ ok: true });
    const withIt = await connectedSockets(server);
    const disconnected = new Promise<Disconnect>((resolve) => {
      slow.socket.once('disconnect', (reason, details) =>
        resolve({ reason, details: details as Disconnect['details'] }),
      );
    });
    const wire = (slow.socket.io.engine as unknown as { transport: { ws: { _socket: NodeJS.ReadableStream } } })
      .transport.ws._socket;
    wire.pause();
    // Each post reaches the slow member's socket as a ~50 KB event.
    for (let published = 0; (await connectedSockets(server)) === withIt && published < 400; published += 1)
      await publishPost(server, channelId, largePost(published));
    expect(await connectedSockets(server)).toBe(withIt - 1);
    return { slow, wire, disconnected };
  };

  it('When a member stops reading while posts are published, then it is disconnected, and once it reads again its client sees the reason: close code 4008 SEND_BUFFER_FULL', async () => {
    const healthy = await connectSocket(server.url, signToken('healthy-member'));
    expect(await healthy.call(JOIN, { channelId })).toMatchObject({ ok: true });
    const { slow, wire, disconnected } = await stopReadingUntilDropped('slow-member');
    try {
      wire.resume();
      const { reason, details } = await disconnected;
      expect(reason).toBe('transport close');
      expect(details?.context?.code).toBe(4008);
      expect(String(details?.context?.reason)).toBe('SEND_BUFFER_FULL');

      expect(healthy.socket.connected).toBe(true);
      expect(await healthy.call(JOIN, { channelId })).toMatchObject({ ok: true });
    } finally {
      slow.close();
      healthy.close();
    }
  }, 60_000);

  it('When a long-polling client stops polling and keeps sending events, then it is disconnected once its unread answers pass the bound, and another member is still served', async () => {
    const healthy = await connectSocket(server.url, signToken('healthy-poller-neighbour'));
    const handshake = await fetch(`${server.url}/socket.io/?EIO=4&transport=polling`).then((r) => r.text());
    const { sid } = JSON.parse(handshake.slice(1)) as { sid: string };
    const session = `${server.url}/socket.io/?EIO=4&transport=polling&sid=${sid}`;
    const send = (payload: string) =>
      fetch(session, { method: 'POST', body: payload, headers: { 'content-type': 'text/plain;charset=UTF-8' } });
    try {
      expect((await send(`40${JSON.stringify({ token: signToken('stopped-poller') })}`)).status).toBe(200);
      // 100 events a request, each answered (ok, or refused once over the rate): 4 to 13 KB of answers.
      const events = (from: number) =>
        Array.from({ length: 100 }, (_, k) => `42${from + k}["${JOIN}",{"channelId":${channelId}}]`).join('\x1e');
      let status = 200;
      let requests = 0;
      for (; status === 200 && requests < 40; requests++) status = (await send(events(requests * 100))).status;

      // Engine.io answers 400 for a session it has closed.
      expect(status).toBe(400);
      // The answers of several requests added up: the bound is 64 KB.
      expect(requests).toBeGreaterThan(2);
      expect(requests).toBeLessThan(40);
      expect(healthy.socket.connected).toBe(true);
      expect(await healthy.call(JOIN, { channelId })).toMatchObject({ ok: true });
    } finally {
      healthy.close();
    }
  }, 60_000);

  it('When the member does not read again within the close grace, then the server destroys its connection (what it held is freed; the client sees an abnormal close)', async () => {
    const { slow, wire, disconnected } = await stopReadingUntilDropped('gone-member');
    try {
      await new Promise((resolve) => setTimeout(resolve, CLOSE_GRACE_MS + 1000));
      wire.resume();
      const { reason, details } = await disconnected;
      expect(reason).toBe('transport close');
      expect(details?.context?.code).toBe(1006);
    } finally {
      slow.close();
    }
  }, 60_000);
});
