import IORedis from 'ioredis';
import { v7 as uuidv7 } from 'uuid';
import { createLimiterFactory, type LimiterFactory } from '../../src/http/rateLimiters';
import { createLogger } from '../../src/logger';
import { startPrivateRedis, type PrivateRedis } from '../helpers/redis';

const logger = createLogger('silent');

const counterIn = async (redis: PrivateRedis, key: string): Promise<string | null> => {
  const client = new IORedis(redis.url);
  try {
    return await client.get(key);
  } finally {
    client.disconnect();
  }
};

describe('Given two nodes whose limiters share one Redis, with a budget of 3 per minute', () => {
  let redis: PrivateRedis;
  let nodeA: LimiterFactory;
  let nodeB: LimiterFactory;
  beforeAll(async () => {
    redis = await startPrivateRedis();
    nodeA = createLimiterFactory({ redisUrl: redis.url, logger });
    nodeB = createLimiterFactory({ redisUrl: redis.url, logger });
    await new Promise((resolve) => setTimeout(resolve, 300)); // let both clients connect
  });
  /** Resolves once a check of `node` is counted in Redis (its client is connected). */
  const reachesRedis = async (node: LimiterFactory) => {
    const name = `probe-${uuidv7()}`;
    const probe = node.create({ name, points: 1000, durationSeconds: 60 })!;
    for (let tries = 0; ; tries++) {
      await probe('probe');
      if ((await counterIn(redis, `comm:rl:${name}:probe`)) !== null) return;
      if (tries > 100) throw new Error('the limiter never reached Redis');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  afterAll(async () => {
    await nodeA.close();
    await nodeB.close();
    await redis.stop();
  });

  it('When one user spends 2 on node A and 1 on node B, then node B refuses the fourth with the wait until the window frees', async () => {
    const budget = { name: `shared-${uuidv7()}`, points: 3, durationSeconds: 60 };
    const onA = nodeA.create(budget)!;
    const onB = nodeB.create(budget)!;
    expect([await onA('user-1'), await onA('user-1'), await onB('user-1')]).toEqual([null, null, null]);
    const wait = await onB('user-1');
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(60_000);
  });

  it('When Redis goes down, then limits still answer at once from the in-memory insurance limiter (per node), and requests are not failed', async () => {
    const budget = { name: `outage-${uuidv7()}`, points: 2, durationSeconds: 60 };
    const onA = nodeA.create(budget)!;
    await redis.stop();
    try {
      const started = Date.now();
      const answers = [await onA('user-2'), await onA('user-2'), await onA('user-2')];
      expect(answers.slice(0, 2)).toEqual([null, null]);
      expect(answers[2]).toBeGreaterThan(0);
      // A guard against hanging on a dead Redis, not a latency assertion.
      expect(Date.now() - started).toBeLessThan(5000);
    } finally {
      await redis.start();
    }
  });

  it('When Redis hangs with its connection open, then checks are answered while it hangs (per node), and after the first one times out the next ones do not go to it', async () => {
    const budget = { name: `hang-${uuidv7()}`, points: 2, durationSeconds: 60 };
    const onA = nodeA.create(budget)!;
    await reachesRedis(nodeA); // its client may still be reconnecting after the test before
    redis.freeze();
    let answers: Array<number | null>;
    try {
      answers = [await onA('user-3'), await onA('user-3'), await onA('user-3')];
    } finally {
      redis.thaw();
    }

    expect(answers.slice(0, 2)).toEqual([null, null]);
    expect(answers[2]).toBeGreaterThan(0);
    // Redis runs what was sent once it goes on: only the first check's command.
    expect(await counterIn(redis, `comm:rl:${budget.name}:user-3`)).toBe('1');
  });
});
