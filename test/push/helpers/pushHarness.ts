import { randomUUID } from 'node:crypto';
import { loadConfig, type Config } from '../../../src/config';
import { createEventStore } from '../../../src/eventStore/createEventStore';
import type { EventStore } from '../../../src/eventStore/eventStore';
import { createLogger } from '../../../src/logger';
import { createProjections, type Projections } from '../../../src/projections/projections';
import { createPush, type Push } from '../../../src/push/push';
import type { PushTuning } from '../../../src/push/pushBackend';
import type { PushSender } from '../../../src/push/pushSender';
import { createReadModelStore } from '../../../src/readModels/createReadModelStore';
import type { ReadModelStore } from '../../../src/readModels/readModelStore';
import { makeTempDir } from '../../helpers/testApp';
import { createPushGiven, type PushGiven } from './pushGiven';

export type PushMode = 'in-process' | 'bullmq';

export type PushHarness = {
  config: Config;
  eventStore: EventStore;
  readModels: ReadModelStore;
  projections: Projections;
  push: Push;
  given: PushGiven;
  /** Resolves once the trigger passed `position` and no job is queued or running. */
  settled: (position: bigint) => Promise<void>;
  /** Stops push only; stores stay open (restart push with `startPush`). */
  stopPush: () => Promise<void>;
  startPush: (overrides?: { wrapSender?: (sender: PushSender) => PushSender }) => Promise<void>;
  stop: () => Promise<void>;
};

/** A unique BullMQ prefix per test run, so parallel runs and leftovers never meet. */
export const uniquePrefix = (): string => `pushtest-${randomUUID().slice(0, 8)}`;

/**
 * The real pieces push runs with in the app — SQLite event store and read models, the
 * real projections, and createPush — without the HTTP layer.
 */
export const startPushHarness = async (options: {
  mode: PushMode;
  redisUrl?: string;
  now: () => Date;
  dataDir?: string;
  batchSize?: number;
  /** false: leave push stopped (start it later with `startPush`). */
  withPush?: boolean;
  tuning?: Partial<PushTuning> & { wrapSender?: (sender: PushSender) => PushSender };
}): Promise<PushHarness> => {
  const config = loadConfig({
    NODE_ENV: 'test',
    DATA_DIR: options.dataDir ?? makeTempDir('push-test-'),
    PUSH_BATCH_SIZE: String(options.batchSize ?? 5),
    ...(options.mode === 'bullmq' ? { REDIS_URL: options.redisUrl } : {}),
  });
  const logger = createLogger(process.env.PUSH_TEST_LOG ?? 'silent');
  const eventStore = createEventStore(config);
  const readModels = createReadModelStore(config);
  const projections = createProjections({ eventStore, readModels, logger });
  const tuning = { backoffMs: 50, lockDurationMs: 2000, stalledIntervalMs: 500, concurrency: 2, ...options.tuning };
  const makePush = (wrapSender?: (sender: PushSender) => PushSender) =>
    createPush({
      config,
      eventStore,
      readModels,
      projections,
      now: options.now,
      logger,
      tuning: { ...tuning, wrapSender },
    });
  let push = makePush(options.tuning?.wrapSender);
  await readModels.start();
  await projections.start();
  // A push instance holds connections from creation on, started or not: close every one we make.
  let pushOpen = true;
  if (options.withPush !== false) await push.start();

  const harness: PushHarness = {
    config,
    eventStore,
    readModels,
    projections,
    get push() {
      return push;
    },
    given: createPushGiven(eventStore, projections),
    settled: async (position) => {
      for (;;) {
        const status = await push.status();
        if (status.checkpoint !== undefined && status.checkpoint >= position && status.pendingJobs === 0) return;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    stopPush: async () => {
      if (pushOpen) await push.stop();
      pushOpen = false;
    },
    startPush: async (overrides) => {
      await harness.stopPush();
      push = makePush(overrides?.wrapSender ?? options.tuning?.wrapSender);
      pushOpen = true;
      await push.start();
    },
    stop: async () => {
      await harness.stopPush();
      await projections.stop();
      await readModels.close();
      await eventStore.close();
    },
  };
  return harness;
};
