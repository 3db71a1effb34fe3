import IORedis from 'ioredis';
import { v7 as uuidv7 } from 'uuid';
import { deleteKeys, getRedisUrl } from '../helpers/redis';
import { spawnServer, type ServerProcess } from '../helpers/serverProcess';
import { makeTempDir, signToken } from '../helpers/testApp';

const CHANNELS = '/api/mobile/channels';

const get = (server: ServerProcess, token?: string) =>
  fetch(`${server.url}${CHANNELS}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });

describe('Given two spawned server processes on one DATA_DIR sharing real Redis, with 4 requests a minute per user and 10 per address', () => {
  const prefix = `test:rl:${uuidv7()}`;
  let redis: { url: string; close: () => Promise<void> };
  let keys: IORedis;
  let nodes: ServerProcess[] = [];

  /** Both nodes count in Redis (not in their insurance limiters): a warm-up request of another user reaches Redis. */
  const untilCountingInRedis = async (server: ServerProcess, index: number) => {
    const user = `warm-up-${index}`;
    for (let tries = 0; tries < 50; tries += 1) {
      await get(server, signToken(user, 'admin'));
      if ((await keys.exists(`${prefix}:rest-admin:${user}`)) === 1) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`node ${index} never counted in Redis`);
  };

  beforeAll(async () => {
    redis = await getRedisUrl();
    keys = new IORedis(redis.url);
    const dataDir = makeTempDir('rest-limit-processes-');
    const env = {
      REDIS_URL: redis.url,
      RATE_LIMIT_KEY_PREFIX: prefix,
      RATE_LIMIT_USER_PER_MINUTE: '4',
      RATE_LIMIT_IP_PER_MINUTE: '10',
    };
    nodes = [await spawnServer(dataDir, env), await spawnServer(dataDir, env)];
    for (const [index, node] of nodes.entries()) await untilCountingInRedis(node, index);
  }, 60_000);
  afterAll(async () => {
    await Promise.all(nodes.map((node) => node.stop()));
    await deleteKeys(redis.url, prefix).catch(() => undefined);
    keys?.disconnect();
    await redis?.close();
  });

  it('When one user alternates between the two nodes, then the fifth request is 429 RATE_LIMITED with Retry-After, on either node', async () => {
    const token = signToken('roaming-user');
    const statuses: number[] = [];
    for (let i = 0; i < 4; i += 1) statuses.push((await get(nodes[i % 2], token)).status);
    expect(statuses).toEqual([200, 200, 200, 200]);

    for (const node of nodes) {
      const limited = await get(node, token);
      expect(limited.status).toBe(429);
      expect(await limited.json()).toMatchObject({ code: 'RATE_LIMITED' });
      const retryAfter = Number(limited.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(60);
    }
  });

  it('When anonymous callers from the same address use both nodes, then the address budget (10, 6 of it spent above) holds across them', async () => {
    // The address spent 6 of its 10 in the test above (4 answered and 2 refused requests of a user token).
    const statuses: number[] = [];
    for (let i = 0; i < 5; i += 1) statuses.push((await get(nodes[i % 2])).status);
    expect(statuses).toEqual([200, 200, 200, 200, 429]);
  });

  it('When the counters are looked up in Redis, then they live under this run’s key prefix', async () => {
    expect(await keys.exists(`${prefix}:rest-user:roaming-user`)).toBe(1);
    expect(await keys.exists(`${prefix}:rest-ip:127.0.0.1`)).toBe(1);
  });
});
