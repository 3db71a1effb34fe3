import path from 'node:path';
import fs from 'node:fs';
import type { Config } from '../config';
import type { EventStore } from '../eventStore/eventStore';
import type { Logger } from '../logger';
import type { ReadModelStore } from '../readModels/readModelStore';
import { createPushAudience } from './pushAudience';
import { createPushCheckpoint } from './pushCheckpoint';
import { createPushTrigger, type ReadModelProgress } from './pushTrigger';
import { runPushJob } from './runPushJob';
import { createPushBackend, type PushTuning } from './pushBackend';
import type { DeliveryLog } from './deliveryLog';
import type { FailedJob } from './jobQueue';
import type { PushSender } from './pushSender';
import { createRecordingSender } from './recordingSender';
import { createWebhookSender } from './webhookSender';
import { untilDeadline } from '../cluster/closeRedis';
import { fencedReadModels } from '../cluster/fencedReadModels';
import { createLeaseKeeper, type LeaseRole } from '../cluster/leaseKeeper';
import { leaseOwner } from '../cluster/leaseOwner';

export const PUSH_TRIGGER_LEASE = 'pushTrigger';

const TRIGGER_STOP_MS = 1000;

export type Push = {
  start: () => Promise<void>;
  /** Stops the trigger, drains running jobs, closes connections. */
  stop: () => Promise<void>;
  /** What the recording sender recorded (empty when the webhook sender is used). */
  deliveries: DeliveryLog;
  failedJobs: () => Promise<FailedJob[]>;
  /** For operators and tests: how far the trigger got and how much work is left. */
  status: () => Promise<PushStatus>;
  /** Whether this process runs the trigger (one process holds its lease) or stands by. */
  leaseRole?: () => LeaseRole;
};

export type PushStatus = { checkpoint: bigint | undefined; pendingJobs: number; failedJobs: number };

/**
 * Broadcast push fan-out: a log trigger queues one fan-out job per published post; the
 * queue (BullMQ when REDIS_URL is set, in-process otherwise) runs the jobs that page the
 * joined members and deliver through the sender (webhook when PUSH_WEBHOOK_URL is set,
 * otherwise the recording sender).
 */
export const createPush = (deps: {
  config: Config;
  eventStore: EventStore;
  readModels: ReadModelStore;
  /** Read-model progress (the projections); the trigger waits for it before each fan-out. */
  projections: ReadModelProgress;
  now: () => Date;
  logger: Logger;
  /** Who this process is in the trigger's lease; a name of its own by default. */
  leaseOwner?: string;
  /** Tests and the bench override queue names and timings, and may wrap the sender (to pause it, say). */
  tuning?: Partial<PushTuning> & { wrapSender?: (sender: PushSender) => PushSender };
}): Push => {
  const { config, logger } = deps;
  // The trigger runs in one process at a time (its lease); its checkpoint writes are fenced.
  const triggerLease = createLeaseKeeper({
    leases: deps.readModels.leases,
    name: PUSH_TRIGGER_LEASE,
    owner: deps.leaseOwner ?? leaseOwner(),
    timing: config.leases,
    logger,
    activate: () => trigger.start(),
    deactivate: () => trigger.stop(),
  });
  const checkpoint = createPushCheckpoint(fencedReadModels(deps.readModels, triggerLease));
  if (!config.redisUrl) fs.mkdirSync(config.dataDir, { recursive: true });
  const backend = createPushBackend({
    redisUrl: config.redisUrl,
    sqlitePath: path.join(config.dataDir, 'push.sqlite'),
    // A test's own prefix also names its key prefix (see PushTuning).
    tuning: {
      ...(deps.tuning?.prefix ? {} : { prefix: config.push.queuePrefix, keyPrefix: config.push.keyPrefix }),
      ...deps.tuning,
    },
    logger,
  });
  const configured =
    config.push.webhookUrl && config.push.webhookSecret
      ? createWebhookSender({ url: config.push.webhookUrl, secret: config.push.webhookSecret })
      : createRecordingSender(backend.deliveries, deps.now);
  const sender = deps.tuning?.wrapSender ? deps.tuning.wrapSender(configured) : configured;
  const trigger = createPushTrigger({
    eventStore: deps.eventStore,
    queue: backend.queue,
    checkpoint,
    readModels: deps.projections,
    logger,
  });
  const jobDeps = {
    audience: createPushAudience(deps.readModels),
    queue: backend.queue,
    ledger: backend.ledger,
    sender,
    batchSize: config.push.batchSize,
    now: deps.now,
    logger,
  };

  return {
    start: async () => {
      await backend.queue.start((job) => runPushJob(job, jobDeps));
      await triggerLease.start();
    },
    stop: async () => {
      // Together: the trigger may be waiting on the in-process queue, which ends its waits on stop.
      // A fan-out cut short is not checkpointed; the next start queues it again (the ledger dedupes).
      // The trigger may wait on an unreachable Redis: bounded, and the clients are closed regardless.
      await Promise.allSettled([untilDeadline(triggerLease.stop(), TRIGGER_STOP_MS), backend.queue.stop()]);
      await backend.close();
    },
    deliveries: backend.deliveries,
    failedJobs: backend.queue.failedJobs,
    status: async () => ({
      checkpoint: await checkpoint.read(),
      pendingJobs: await backend.queue.pendingCount(),
      failedJobs: await backend.queue.failedCount(),
    }),
    leaseRole: triggerLease.role,
  };
};
