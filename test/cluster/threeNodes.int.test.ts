import { getRedisUrl } from '../helpers/redis';
import { connectSocket, type TestSocket } from '../helpers/socketClient';
import { makeTempDir, signToken } from '../helpers/testApp';
import { clusterEnv, eventually, killNodes, startNode } from './clusterKit';
import { json } from '../helpers/rawHttp';
import type { ServerProcess } from '../helpers/serverProcess';

const admin = signToken('admin-1', 'admin');
const alice = signToken('alice');
const openChannel = { kind: 'BROADCAST', accessPolicy: 'OPEN', visibility: 'PUBLIC', title: 'Signals' };

const written = async (response: Promise<{ status: number; body: any }>, what: string) => {
  const { status, body } = await response;
  if (status >= 300) throw new Error(`${what}: ${status} ${JSON.stringify(body)}`);
  return body.data;
};

/**
 * The cluster: two `api` nodes (no projections of their own: they wait on the
 * shared checkpoints) and one `projector,push` node, separate processes on one SQLite
 * DATA_DIR (the embedded stand-in for the shared stores) and real Redis.
 */
describe('Given two api-only nodes and a projector,push node on one data dir and real Redis', () => {
  let redis: { url: string; close: () => Promise<void> };
  let env: Record<string, string>;
  let first: ServerProcess;
  let second: ServerProcess;
  let projector: Promise<ServerProcess> | undefined;
  const sockets: TestSocket[] = [];
  // The first test starts the projector itself; the others need it running whatever their order.
  const projectorRunning = () => (projector ??= startNode(env, 'projector,push'));

  beforeAll(async () => {
    redis = await getRedisUrl();
    // Lag 0: /ready turns 200 only once the shared checkpoints have passed the whole log.
    env = { ...clusterEnv(makeTempDir('three-nodes-'), redis.url), READY_MAX_LAG_EVENTS: '0' };
    [first, second] = await Promise.all([startNode(env, 'api'), startNode(env, 'api')]);
  }, 40_000);
  afterAll(async () => {
    sockets.forEach((socket) => socket.close());
    await killNodes();
    await redis?.close();
  });

  it('When a write lands while no projector runs, then /ready is 503 on both api nodes, and 200 once a projector process has caught up', async () => {
    // No projector: the write is stored, and answered once its read-your-writes wait gives up.
    await written(json(first.url, 'POST', '/api/admin/channels', admin, openChannel), 'create channel');

    for (const node of [first, second]) {
      const readiness = await json(node.url, 'GET', '/ready');
      expect(readiness.status).toBe(503);
      expect(readiness.body.projections.some((projection: { ok: boolean }) => !projection.ok)).toBe(true);
    }

    await projectorRunning();
    for (const node of [first, second]) {
      const ready = await eventually(`${node.url}/ready to answer 200`, async () => {
        const readiness = await json(node.url, 'GET', '/ready');
        return readiness.status === 200 ? readiness.body : undefined;
      });
      expect(ready.status).toBe('ready');
    }
  }, 40_000);

  it('When writes go through one api node, then the other answers each of them right after its 2xx', async () => {
    await projectorRunning();
    const channel = await written(json(first.url, 'POST', '/api/admin/channels', admin, openChannel), 'channel');
    expect((await json(second.url, 'GET', `/api/mobile/channels/${channel.id}`)).status).toBe(200);

    await written(json(second.url, 'POST', `/api/mobile/channels/${channel.id}/join`, alice), 'join');
    const detail = await json(first.url, 'GET', `/api/mobile/channels/${channel.id}`, alice);
    expect(detail.body.data).toMatchObject({ id: channel.id, isJoined: true });

    for (let round = 0; round < 5; round += 1) {
      const [writer, reader] = round % 2 === 0 ? [first, second] : [second, first];
      const post = await written(
        json(writer.url, 'POST', `/api/admin/channels/${channel.id}/posts`, admin, {
          type: 'TEXT',
          bodyText: `post ${round}`,
        }),
        'publish',
      );
      const read = await json(reader.url, 'GET', `/api/mobile/posts/${post.id}`, alice);
      expect(read.status).toBe(200);
      expect(read.body.data).toMatchObject({ id: post.id, bodyText: `post ${round}` });
    }

    await written(
      json(first.url, 'PUT', `/api/admin/channels/${channel.id}/discussion`, admin, { title: 'Talk' }),
      'open',
    );
    const message = await written(
      json(second.url, 'POST', `/api/mobile/channels/${channel.id}/discussion/messages`, alice, { body: 'hi all' }),
      'message',
    );
    const messages = await json(first.url, 'GET', `/api/mobile/channels/${channel.id}/discussion/messages`, alice);
    expect(messages.status).toBe(200);
    expect(messages.body.data.items.map((item: { id: unknown }) => item.id)).toEqual([message.id]);
  }, 40_000);

  it('When posts are written through one api node, then a socket on the other receives each of them once, in order', async () => {
    await projectorRunning();
    const channel = await written(json(first.url, 'POST', '/api/admin/channels', admin, openChannel), 'channel');
    const socket = await connectSocket(second.url, alice);
    sockets.push(socket);
    expect(await socket.call('communication:join_channel_posts', { channelId: channel.id })).toMatchObject({
      ok: true,
    });

    const posts: string[] = [];
    for (let index = 0; index < 3; index += 1) {
      const body = { type: 'TEXT', bodyText: `live ${index}` };
      posts.push(
        (await written(json(first.url, 'POST', `/api/admin/channels/${channel.id}/posts`, admin, body), 'publish')).id,
      );
    }
    await socket.waitFor((event) => event.data.id === posts[2], 'the last post');
    // A last post through the socket's own node: a delta duplicated across nodes would have arrived before it.
    const sentinel = await written(
      json(second.url, 'POST', `/api/admin/channels/${channel.id}/posts`, admin, { type: 'TEXT', bodyText: 'end' }),
      'publish',
    );
    await socket.waitFor((event) => event.data.id === sentinel.id, 'the sentinel post');

    expect(socket.received.map((event) => [event.eventType, event.data.id])).toEqual(
      [...posts, sentinel.id].map((id) => ['communication.channel_post.created', id]),
    );
  }, 40_000);
});
