import fs from 'node:fs';
import path from 'node:path';
import IORedis from 'ioredis';
import { v7 as uuidv7 } from 'uuid';
import { loadConfig } from '../src/config';
import { createEventStore } from '../src/eventStore/createEventStore';
import type { EventStore, NewEvent } from '../src/eventStore/eventStore';
import { createLogger } from '../src/logger';
import { createProjections } from '../src/projections/projections';
import { createPush } from '../src/push/push';
import { createReadModelStore } from '../src/readModels/createReadModelStore';
import { deleteKeys, getRedisUrl } from '../test/helpers/redis';
import type { BenchDefinition, BenchProgress, BenchResult } from './benchTypes';
import { BENCH_WITHOUT_CLIENT_LIMITS } from './benchLimits';

/**
 * One post fanned out to 100,000 joined members end to end: PostPublished in the log →
 * trigger → BullMQ fan-out job (keyset pages of 1,000 from the memberships read model) →
 * delivery jobs (re-check, ledger claim, recording sender into Redis, mark sent). Beside
 * it, the raw Redis pipeline of the same delivery writes, in the same run.
 */
const MEMBERS = Number(process.env.PUSH_BENCH_MEMBERS ?? 100_000);
const BATCH_SIZE = 1000;
const CONCURRENCY = 8;
const TARGET = 20_000;
const CHANNEL_ID = 1;
const POST_ID = 1;

const meta = () => ({
  actor: { type: 'system' as const, id: 'bench' },
  correlationId: uuidv7(),
  causationId: uuidv7(),
});
const event = (type: string, data: unknown): NewEvent => ({ id: uuidv7(), type, data, metadata: meta() });
const userIdOf = (index: number) => `user-${String(index).padStart(6, '0')}`;

const seed = async (eventStore: EventStore, tick: (n?: number) => void) => {
  await eventStore.appendToStream(`channel-${CHANNEL_ID}`, [
    event('ChannelCreated', {
      channelId: CHANNEL_ID,
      kind: 'BROADCAST',
      accessPolicy: 'OPEN',
      visibility: 'PUBLIC',
      status: 'ACTIVE',
      title: 'bench',
      description: null,
      entitlementKey: null,
      createdByAdminId: 'admin-1',
      createdAt: '2020-01-01T00:00:00.000Z',
    }),
  ]);
  for (let start = 0; start < MEMBERS; start += 2000) {
    const chunk = Array.from({ length: Math.min(2000, MEMBERS - start) }, (_, offset) => userIdOf(start + offset));
    await Promise.all(
      chunk.map((userId) =>
        eventStore.appendToStream(`membership-${userId}`, [
          event('ChannelJoined', { userId, channelId: CHANNEL_ID, joinedAt: '2020-01-01T00:00:00.000Z' }),
        ]),
      ),
    );
    tick(chunk.length);
  }
};

const waitUntil = async (check: () => Promise<boolean>) => {
  while (!(await check())) await new Promise((resolve) => setTimeout(resolve, 10));
};

/** The same writes the recording sender makes, straight to Redis: one HINCRBY per pair, pipelined per batch. */
const measureRawPipeline = async (url: string, prefix: string): Promise<number> => {
  const redis = new IORedis(url);
  const startedAt = process.hrtime.bigint();
  const batches = Array.from({ length: Math.ceil(MEMBERS / BATCH_SIZE) }, (_, index) => index);
  const worker = async () => {
    for (let batch = batches.shift(); batch !== undefined; batch = batches.shift()) {
      const pipeline = redis.pipeline();
      for (let index = batch * BATCH_SIZE; index < Math.min(MEMBERS, (batch + 1) * BATCH_SIZE); index += 1) {
        pipeline.hincrby(`${prefix}:raw:${POST_ID}`, userIdOf(index), 1);
      }
      await pipeline.exec();
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const rate = (MEMBERS * 1e9) / Number(process.hrtime.bigint() - startedAt);
  redis.disconnect();
  return rate;
};

const run = async (progress: BenchProgress): Promise<BenchResult[]> => {
  const redis = await getRedisUrl();
  const prefix = `pushbench-${process.pid}`;
  const dataDir = path.join(__dirname, 'results', `push-${process.pid}.tmp`);
  const config = loadConfig({
    ...BENCH_WITHOUT_CLIENT_LIMITS,
    NODE_ENV: 'test',
    DATA_DIR: dataDir,
    REDIS_URL: redis.url,
    PUSH_BATCH_SIZE: String(BATCH_SIZE),
  });
  const logger = createLogger('warn');
  const eventStore = createEventStore(config);
  const readModels = createReadModelStore(config);
  const projections = createProjections({ eventStore, readModels, logger });
  const push = createPush({
    config,
    eventStore,
    readModels,
    projections,
    now: () => new Date(),
    logger,
    tuning: { prefix, concurrency: CONCURRENCY },
  });
  try {
    await readModels.start();
    await projections.start();
    await seed(eventStore, progress.phase(`seeding ${MEMBERS} joins through the event store`, MEMBERS));
    const head = (await eventStore.headPosition()) ?? 0n;
    progress.log('projections building the memberships read model…');
    await waitUntil(() => projections.waitForPosition(head, 1000));
    await push.start();

    const tick = progress.phase(`fan-out to ${MEMBERS} members via BullMQ`, MEMBERS);
    const startedAt = process.hrtime.bigint();
    await eventStore.appendToStream(`channel-${CHANNEL_ID}`, [
      event('PostPublished', {
        postId: POST_ID,
        channelId: CHANNEL_ID,
        type: 'TEXT',
        bodyText: 'bench',
        linkUrl: null,
        chartPayloadJson: null,
        attachments: [],
        createdByAdminId: 'admin-1',
        publishedAt: new Date().toISOString(),
      }),
    ]);
    let seen = 0;
    await waitUntil(async () => {
      const count = await push.deliveries.countDeliveries(POST_ID);
      tick(count - seen);
      seen = count;
      return count >= MEMBERS;
    });
    const value = (MEMBERS * 1e9) / Number(process.hrtime.bigint() - startedAt);
    const twice = (await push.deliveries.listDeliveries(POST_ID)).filter((delivery) => delivery.times !== 1).length;
    const baseline = await measureRawPipeline(redis.url, prefix);
    progress.log(
      `${Math.round(value)} deliveries/s end to end vs raw pipeline ${Math.round(baseline)}/s; pushed twice: ${twice}`,
    );
    return [
      {
        name: `fan-out of one post to ${MEMBERS} joined members (BullMQ → recording sender)`,
        value,
        unit: 'deliveries/s',
        baseline: { name: 'raw Redis pipeline of the same HINCRBY writes', value: baseline },
        ratio: value / baseline,
        target: `>= ${TARGET} deliveries/s`,
        met: value >= TARGET && twice === 0,
        notes: `batch ${BATCH_SIZE}, worker concurrency ${CONCURRENCY}, one process; timed from the PostPublished append to the last recorded delivery; ${twice} pairs pushed twice`,
      },
    ];
  } finally {
    await push.stop();
    await projections.stop();
    await readModels.close();
    await eventStore.close();
    await deleteKeys(redis.url, prefix);
    await redis.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
};

export const bench: BenchDefinition = { name: 'push fan-out', run };
