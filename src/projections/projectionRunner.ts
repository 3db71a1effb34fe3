import type { EventStore, RecordedEvent, SubscribeOptions, Subscription } from '../eventStore/eventStore';
import type { Logger } from '../logger';
import type { ReadModelStore } from '../readModels/readModelStore';
import { createBatchCommit } from './batchCommit';
import { createEventBatcher, type EventBatcher } from './eventBatcher';
import { createPositionWaiters } from './positionWaiters';
import type { Projection } from './projection';
import { createRestartPolicy } from './restartPolicy';
import type { ProjectionRunner, ProjectionState } from './projectionRunnerTypes';
import { createSkippedPositions } from './skippedPositions';

/** How long a position reached only through other projections' events may stay unstored. */
const PERSIST_SKIPPED_MS = 1000;

/** One subscription from the stored checkpoint and its batches; halted as a whole on failure. */
type Attempt = { subscription: Subscription | undefined; batcher: EventBatcher };

/**
 * Runs one projection version: subscribes to the log from its checkpoint and applies
 * events in batches (`eventBatcher`), each in one read-model transaction together with
 * its checkpoint (`batchCommit`). Skipped positions are stored lazily (`skippedPositions`);
 * failures halt the attempt and restart it from the checkpoint (`restartPolicy`).
 */
export const createProjectionRunner = (deps: {
  eventStore: EventStore;
  readModels: ReadModelStore;
  projection: Projection;
  version: number;
  logger: Logger;
  batchSize?: number;
  onApplied?: (count: number) => void;
  /** Where events come from; defaults to the event store's own subscription (projections.ts shares one). */
  subscribe?: (options: SubscribeOptions) => Subscription;
}): ProjectionRunner => {
  const { projection, version } = deps;
  // Large batches while catching up (fewer commits), as large as the store's transactions allow; live batches stay small (a flush also happens whenever the log goes idle).
  const batchSize = Math.min(deps.batchSize ?? 5000, deps.readModels.maxBatchEvents ?? Infinity);
  const log = { projection: projection.name, version };
  const batches = createBatchCommit(deps);
  const waiters = createPositionWaiters();
  let attempt: Attempt | undefined;
  /** The wind-down of a halted attempt, awaited before the next attempt or stop. */
  let abandoned: Promise<void> = Promise.resolve();
  let stopping = false;
  let caughtUpResolve: () => void = () => {};
  let caughtUpPromise = new Promise<void>((resolve) => (caughtUpResolve = resolve));
  const status = {
    state: 'stopped' as ProjectionState,
    appliedRecordedAt: undefined as string | undefined,
    eventsApplied: 0,
    error: undefined as string | undefined,
  };

  const idle = () => attempt?.batcher.idle() ?? Promise.resolve();
  const positions = createSkippedPositions({
    store: (position) => batches.commit([], position),
    idle,
    delayMs: PERSIST_SKIPPED_MS,
    onError: (error) => policy.fail(error),
  });

  /** Stops the current attempt at once; its position stays in memory until the next start. */
  const halt = () => {
    if (!attempt) return;
    const { subscription, batcher } = attempt;
    attempt = undefined;
    batcher.halt();
    positions.halt();
    abandoned = Promise.all([subscription?.stop(), batcher.idle()]).then(
      () => undefined,
      () => undefined,
    );
  };

  const policy = createRestartPolicy({
    halt,
    restart: async () => {
      await abandoned;
      if (!stopping) await start();
    },
    onFailed: (error) => {
      status.state = 'failed';
      status.error = error.message;
      deps.logger.error({ err: error, ...log }, 'projection stopped');
    },
    onRestartScheduled: (error, delayMs) => {
      status.error = `retrying in ${delayMs} ms after: ${error instanceof Error ? error.message : String(error)}`;
      deps.logger.warn({ err: error, ...log, retryDelayMs: delayMs }, 'projection restarting');
    },
  });

  const advance = (last: RecordedEvent, applied: number) => {
    status.appliedRecordedAt = last.recordedAt;
    status.eventsApplied += applied;
    deps.onApplied?.(applied);
    waiters.reached(last.position);
  };

  // A batch with nothing for this projection moves the position in memory only (unless `persistEmpty`).
  const commitBatch = async (batch: RecordedEvent[], persistEmpty: boolean) => {
    const last = batch[batch.length - 1];
    const relevant = batches.relevant(batch);
    if (relevant.length === 0 && !persistEmpty) {
      positions.skipped(last.position);
      return advance(last, 0);
    }
    await batches.commit(relevant, last.position);
    positions.committed(last.position);
    policy.succeeded();
    advance(last, relevant.length);
  };

  const start = async () => {
    stopping = false;
    policy.begin();
    await deps.readModels.prepareVersion(projection.name, version);
    positions.reset(await deps.readModels.readCheckpoint(projection.name, version));
    status.state = 'catching_up';
    status.error = undefined;
    const batcher = createEventBatcher({
      batchSize,
      commit: commitBatch,
      live: () => status.state === 'live',
      onIdleFlushed: () => {
        if (!stopping) positions.storeSoon();
      },
      onFailed: policy.fail,
    });
    const current: Attempt = { subscription: undefined, batcher };
    attempt = current;
    const subscribe = deps.subscribe ?? ((options: SubscribeOptions) => deps.eventStore.subscribeToAll(options));
    current.subscription = subscribe({
      after: positions.applied(),
      // Synchronous unless the batch is full: most events only join the buffer, without a promise each.
      onEvent: (event) => batcher.add(event),
      onCaughtUp: () => {
        if (attempt !== current) return;
        batcher
          .flush()
          .then(positions.storeNow)
          .then(() => {
            if (status.state === 'catching_up') status.state = 'live';
            caughtUpResolve();
          })
          .catch(policy.fail);
      },
      onError: policy.fail,
    });
  };

  const stop = async () => {
    stopping = true;
    policy.stop();
    positions.cancel();
    const current = attempt;
    attempt = undefined;
    await current?.subscription?.stop();
    await abandoned;
    try {
      await current?.batcher.flush();
      if (!policy.failed()) await positions.storeNow();
    } catch (error) {
      policy.fail(error as Error);
    }
    positions.halt();
    if (!policy.failed()) status.state = 'stopped';
    waiters.releaseAll();
    caughtUpPromise = new Promise<void>((resolve) => (caughtUpResolve = resolve));
  };

  return {
    start,
    stop,
    status: () => ({ name: projection.name, version, ...status, appliedPosition: positions.applied() }),
    waitForPosition: (position, timeoutMs) => waiters.wait(position, timeoutMs, positions.applied()),
    caughtUp: () => caughtUpPromise,
  };
};
