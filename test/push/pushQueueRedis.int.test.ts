import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import IORedis from 'ioredis';
import { createLogger } from '../../src/logger';
import { createPushBackend } from '../../src/push/pushBackend';
import type { RunningJob } from '../../src/push/pushJobs';
import { deleteKeys, startPrivateRedis } from '../helpers/redis';
import { makeTempDir, startTestApp, TEST_OPS_TOKEN } from '../helpers/testApp';
import { uniquePrefix } from './helpers/pushHarness';
import { useRedis } from './helpers/pushModes';

const logger = createLogger('silent');
const RECONNECT_WINDOW_MS = 3000;
const fanOut = (postId: number) => ({
  name: 'fanOut' as const,
  id: `fanout-${postId}`,
  data: { postId, channelId: 1, publishedAt: '2030-01-01T00:00:00.000Z', position: '1', cursor: null },
});

const keysMatching = async (url: string, pattern: string): Promise<string[]> => {
  const redis = new IORedis(url);
  try {
    return (await redis.keys(pattern)).sort();
  } finally {
    redis.disconnect();
  }
};

describe('Given push on BullMQ with its default key prefixes', () => {
  const redis = useRedis();
  const queueName = `q${randomUUID().slice(0, 8)}`;
  afterAll(async () => {
    await deleteKeys(redis.url(), `bull:${queueName}`);
    await deleteKeys(redis.url(), `push:${queueName}`);
  });

  it('When a delivery is claimed and recorded, then the ledger and log keys live under push:, not in BullMQ’s bull: namespace', async () => {
    const backend = createPushBackend({ redisUrl: redis.url(), sqlitePath: '', tuning: { queueName }, logger });
    try {
      await backend.ledger.claim(7, ['u-1'], 'token');
      await backend.deliveries.record(
        { deliveryId: 'd', postId: 7, channelId: 1, publishedAt: '', userIds: ['u-1'] },
        new Date(),
      );
      expect(await keysMatching(redis.url(), `push:${queueName}:*`)).toEqual([
        `push:${queueName}:deliveries:7`,
        `push:${queueName}:ledger:7`,
      ]);
      const bullKeys = await keysMatching(redis.url(), `bull:${queueName}:*`);
      expect(bullKeys.filter((key) => /ledger|deliveries/.test(key))).toEqual([]);
    } finally {
      await backend.queue.stop();
      await backend.close();
    }
  });
});

describe('Given a fan-out job that exhausted its attempts', () => {
  const redis = useRedis();

  it('When the same post is triggered again, then its fan-out runs again instead of staying failed forever', async () => {
    const prefix = redis.track(uniquePrefix());
    const backend = createPushBackend({
      redisUrl: redis.url(),
      sqlitePath: '',
      tuning: { prefix, attempts: 1, backoffMs: 10, stalledIntervalMs: 1000, lockDurationMs: 2000 },
      logger,
    });
    let failing = true;
    const ran: number[] = [];
    await backend.queue.start(async (job: RunningJob) => {
      ran.push(job.attempt);
      if (failing) throw new Error('webhook down');
    });
    try {
      await backend.queue.enqueue([fanOut(5)]);
      for (let waited = 0; (await backend.queue.failedCount()) === 0 && waited < 100; waited += 1)
        await new Promise((resolve) => setTimeout(resolve, 50));
      expect(await backend.queue.failedCount()).toBe(1);

      failing = false;
      await backend.queue.enqueue([fanOut(5)]);
      for (let waited = 0; ran.length < 2 && waited < 100; waited += 1)
        await new Promise((resolve) => setTimeout(resolve, 50));

      expect(ran).toEqual([1, 1]);
      for (let waited = 0; (await backend.queue.failedCount()) > 0 && waited < 100; waited += 1)
        await new Promise((resolve) => setTimeout(resolve, 50));
      expect(await backend.queue.failedCount()).toBe(0);
    } finally {
      await backend.queue.stop();
      await backend.close();
    }
  });
});

describe('Given a server whose Redis is down', () => {
  it('When /metrics is scraped, then it answers at once (queue depth NaN) and never lists failed jobs', async () => {
    const privateRedis = await startPrivateRedis();
    const getFailed = jest.spyOn(Queue.prototype, 'getFailed');
    const server = await startTestApp({
      dataDir: makeTempDir('metrics-redis-'),
      env: { REDIS_URL: privateRedis.url, PUSH_QUEUE_PREFIX: uniquePrefix() },
    });
    try {
      const scrape = { authorization: `Bearer ${TEST_OPS_TOKEN}` };
      const healthy = await fetch(`${server.url}/metrics`, { headers: scrape });
      expect(await healthy.text()).toMatch(/^push_queue_depth 0$/m);
      await privateRedis.stop();

      // A hang (the scrape waiting on Redis) fails here instead of passing late.
      const response = await fetch(`${server.url}/metrics`, { headers: scrape, signal: AbortSignal.timeout(3000) });

      expect(response.status).toBe(200);
      expect(await response.text()).toMatch(/^push_queue_depth nan$/im);
      expect(getFailed).not.toHaveBeenCalled();
    } finally {
      getFailed.mockRestore();
      await server.stop();
      await privateRedis.stop();
    }
  }, 30_000);

  it('When the server stops while Redis is down, then none of its Redis clients connects again once Redis is back', async () => {
    const privateRedis = await startPrivateRedis();
    const server = await startTestApp({
      dataDir: makeTempDir('stop-redis-'),
      env: { REDIS_URL: privateRedis.url, PUSH_QUEUE_PREFIX: uniquePrefix() },
    });
    const observer = new IORedis(privateRedis.url, { lazyConnect: true });
    observer.on('error', () => {});
    try {
      await privateRedis.stop();
      await server.stop();
      await privateRedis.start();
      // Longer than ioredis's largest reconnect delay (2 s): a client still retrying is back by then.
      await new Promise((resolve) => setTimeout(resolve, RECONNECT_WINDOW_MS));

      await observer.connect();
      const clients = String(await observer.client('LIST'))
        .trim()
        .split('\n');
      expect(clients).toHaveLength(1); // the observer itself
    } finally {
      observer.disconnect();
      await server.stop();
      await privateRedis.stop();
    }
  }, 30_000);
});
