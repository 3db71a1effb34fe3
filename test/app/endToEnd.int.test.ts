import { connectSocket } from '../helpers/socketClient';
import { signToken, startTestApp, TEST_OPS_TOKEN, type TestApp } from '../helpers/testApp';

/** The whole product through its public surfaces: HTTP commands, push fan-out, a live socket, metrics. */
describe('Given the real server on the embedded stores, an OPEN broadcast channel and two users', () => {
  let server: TestApp;
  const admin = signToken('admin-1', 'admin');
  const joined = signToken('user-joined');
  const reader = signToken('user-reader');
  let channelId: number;

  beforeAll(async () => {
    server = await startTestApp();
    const created = await server.request('POST', '/api/admin/channels', {
      token: admin,
      body: { kind: 'BROADCAST', accessPolicy: 'OPEN', visibility: 'PUBLIC', title: 'Deals' },
    });
    channelId = created.body.data.id;
    expect((await server.request('POST', `/api/mobile/channels/${channelId}/join`, { token: joined })).status).toBe(
      200,
    );
  });
  afterAll(() => server.stop());

  it('When an admin publishes a post, then the joined member is pushed once, the reader is not, and a socket in the room gets the delta', async () => {
    const socket = await connectSocket(server.url, reader);
    try {
      expect((await socket.call('communication:join_channel_posts', { channelId })).ok).toBe(true);
      const published = await server.request('POST', `/api/admin/channels/${channelId}/posts`, {
        token: admin,
        body: { type: 'TEXT', bodyText: 'Flash sale at noon' },
      });
      expect(published.status).toBe(201);
      const postId = Number(published.body.data.id);

      const delta = await socket.waitFor((envelope) => envelope.eventType === 'communication.channel_post.created');
      expect(delta.data).toMatchObject({ id: String(postId), channelId });

      await waitUntil(async () => (await server.app.push.deliveries.countDeliveries(postId)) > 0);
      expect(await server.app.push.deliveries.listDeliveries(postId)).toEqual([{ userId: 'user-joined', times: 1 }]);

      const metrics = await fetch(`${server.url}/metrics`, {
        headers: { authorization: `Bearer ${TEST_OPS_TOKEN}` },
      }).then((response) => response.text());
      expect(metrics).toMatch(/^realtime_connected_sockets 1$/m);
    } finally {
      socket.close();
    }
  });
});

const waitUntil = async (predicate: () => Promise<boolean>, timeoutMs = 8000) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};
