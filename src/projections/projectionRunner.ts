import type { EventStore, RecordedEvent, SubscribeOptions, Subscription } from '../eventStore/eventStore';
import type { Logger } from '../logger';
import type { Document, ReadModelStore, ReadModelWriter } from '../readModels/readModelStore';
import { ProjectionError, ReadModelWriteError, type Projection, type ProjectionWriter } from './projection';

export type ProjectionState = 'stopped' | 'catching_up' | 'live' | 'failed';

export type ProjectionStatus = {
  name: string;
  version: number;
  state: ProjectionState;
  /** Position of the last event this runner has applied (or seen and skipped). */
  appliedPosition: bigint | undefined;
  /** When the last applied event was recorded in the log. */
  appliedRecordedAt: string | undefined;
  eventsApplied: number;
  error: string | undefined;
};

export type ProjectionRunner = {
  start: () => Promise<void>;
  stop: () => Promise<void>;
  status: () => ProjectionStatus;
  /** Resolves true once the runner has passed `position`, false after `timeoutMs`. */
  waitForPosition: (position: bigint, timeoutMs: number) => Promise<boolean>;
  /** Resolves when the runner first reaches the head of the log. */
  caughtUp: () => Promise<void>;
};

const asStoreFailure =
  <Args extends unknown[], Result>(operation: (...args: Args) => Promise<Result>) =>
  async (...args: Args): Promise<Result> => {
    try {
      return await operation(...args);
    } catch (error) {
      throw new ReadModelWriteError(error);
    }
  };

/**
 * The writer a projection sees: stamps writes with the position of the event being
 * applied, tags store failures as transient. Built once per batch (not per event);
 * `at` moves it to the next event, which is safe because events are applied one at a time.
 */
const positionedWriter = (writer: ReadModelWriter) => {
  let position = 0n;
  const projectionWriter: ProjectionWriter = {
    get: asStoreFailure(writer.get) as ProjectionWriter['get'],
    find: asStoreFailure(writer.find) as ProjectionWriter['find'],
    put: asStoreFailure((collection: string, key: string, doc: Document) => writer.put(collection, key, doc, position)),
    delete: asStoreFailure(writer.delete),
  };
  return (eventPosition: bigint): ProjectionWriter => {
    position = eventPosition;
    return projectionWriter;
  };
};

/** How long a position reached only through other projections' events may stay unstored. */
const PERSIST_SKIPPED_MS = 1000;

/**
 * Runs one projection version: subscribes to the log from its checkpoint and applies
 * events in batches, each batch in one read-model transaction together with its
 * checkpoint. A batch is flushed when it is full or when the subscription goes idle.
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
  const { projection, version, readModels } = deps;
  // Large batches while catching up (fewer commits); live batches stay small because a flush also happens whenever the log goes idle.
  const batchSize = deps.batchSize ?? 5000;
  const handled = new Set(projection.eventTypes);
  let buffer: RecordedEvent[] = [];
  let flushing: Promise<void> | undefined;
  let flushScheduled = false;
  let persistedPosition: bigint | undefined;
  let subscription: Subscription | undefined;
  let stopping = false;
  let retryTimer: NodeJS.Timeout | undefined;
  let persistTimer: NodeJS.Timeout | undefined;
  let retryDelayMs = 0;
  /**
   * Set when a batch fails, until the restart: nothing more is buffered, applied or
   * stored, so no later batch can move the checkpoint past the failed one.
   */
  let halted = false;
  /** The stop of a failed attempt's subscription, awaited before the next attempt or stop. */
  let abandoned: Promise<void> = Promise.resolve();
  let waiters: Array<{ position: bigint; resolve: (reached: boolean) => void }> = [];
  let caughtUpResolve: () => void = () => {};
  let caughtUpPromise = new Promise<void>((resolve) => (caughtUpResolve = resolve));
  const status: ProjectionStatus = {
    name: projection.name,
    version,
    state: 'stopped',
    appliedPosition: undefined,
    appliedRecordedAt: undefined,
    eventsApplied: 0,
    error: undefined,
  };

  const settleWaiters = () => {
    const applied = status.appliedPosition;
    waiters = waiters.filter((waiter) => {
      if (applied === undefined || applied < waiter.position) return true;
      waiter.resolve(true);
      return false;
    });
  };

  const advance = (last: RecordedEvent, applied: number) => {
    status.appliedPosition = last.position;
    status.appliedRecordedAt = last.recordedAt;
    status.eventsApplied += applied;
    deps.onApplied?.(applied);
    settleWaiters();
  };

  /**
   * `persistEmpty` false: a batch with nothing for this projection only moves the
   * in-memory position (a crash re-reads those events, which changes nothing); idle
   * flushes and stop persist it. Sparse projections then skip most transactions while
   * catching up.
   */
  const applyBatch = async (batch: RecordedEvent[], persistEmpty: boolean) => {
    if (halted) return;
    const last = batch[batch.length - 1];
    const relevant = batch.filter((event) => handled.has(event.type));
    if (relevant.length === 0 && !persistEmpty) return advance(last, 0);
    await readModels.applyBatch(projection.name, version, last.position, async (writer) => {
      const at = positionedWriter(writer);
      for (const event of relevant) {
        try {
          await projection.apply(event, at(event.position));
        } catch (error) {
          if (error instanceof ReadModelWriteError) throw error;
          throw new ProjectionError(projection.name, event, error);
        }
      }
    });
    persistedPosition = last.position;
    retryDelayMs = 0;
    advance(last, relevant.length);
  };

  const flush = (persistEmpty = true): Promise<void> => {
    if (flushing) return flushing.then(() => flush(persistEmpty));
    if (buffer.length === 0 || halted) return Promise.resolve();
    const batch = buffer;
    buffer = [];
    flushing = applyBatch(batch, persistEmpty).finally(() => {
      flushing = undefined;
    });
    return flushing;
  };

  /** Stores the in-memory position reached through skipped batches. */
  const persistPosition = async () => {
    if (halted) return;
    const applied = status.appliedPosition;
    if (applied === undefined || (persistedPosition !== undefined && persistedPosition >= applied)) return;
    await readModels.applyBatch(projection.name, version, applied, async () => undefined);
    persistedPosition = applied;
  };

  /**
   * Live, most events concern a few of the projections: the others move their position
   * in memory only and store it at most a second later (or at stop), instead of one
   * empty transaction per projection per event.
   */
  const schedulePersist = () => {
    if (persistTimer || stopping || halted) return;
    persistTimer = setTimeout(() => {
      persistTimer = undefined;
      (flushing ?? Promise.resolve()).then(persistPosition).catch(fail);
    }, PERSIST_SKIPPED_MS);
    persistTimer.unref();
  };

  const scheduleFlush = () => {
    if (flushScheduled) return;
    flushScheduled = true;
    setImmediate(() => {
      flushScheduled = false;
      flush(false)
        .then(() => {
          if (persistedPosition !== status.appliedPosition) schedulePersist();
        })
        .catch(fail);
    });
  };

  /**
   * Halts the current attempt at once: its subscription is stopped and its buffer dropped;
   * the next attempt resumes from the stored checkpoint.
   */
  const halt = () => {
    halted = true;
    buffer = [];
    clearTimeout(persistTimer);
    persistTimer = undefined;
    const failed = subscription;
    subscription = undefined;
    abandoned = (failed?.stop() ?? Promise.resolve()).catch(() => undefined);
  };

  /**
   * An event the projection cannot apply stops it for good (a human must look). Anything
   * else (a busy or unreachable store) is transient: halt, then restart from the stored
   * checkpoint after a backoff, so nothing is lost or applied twice.
   */
  const fail = (error: Error) => {
    if (status.state === 'failed' || stopping) return;
    if (!(error instanceof ProjectionError)) return scheduleRestart(error);
    halt();
    status.state = 'failed';
    status.error = error.message;
    deps.logger.error({ err: error, projection: projection.name, version }, 'projection stopped');
  };

  const scheduleRestart = (error: Error) => {
    if (retryTimer || stopping) return;
    halt();
    retryDelayMs = Math.min(retryDelayMs === 0 ? 100 : retryDelayMs * 2, 10_000);
    status.error = `retrying in ${retryDelayMs} ms after: ${error.message}`;
    deps.logger.warn({ err: error, projection: projection.name, version, retryDelayMs }, 'projection restarting');
    retryTimer = setTimeout(() => {
      retryTimer = undefined;
      void abandoned
        .then(() => (flushing ?? Promise.resolve()).catch(() => undefined))
        .then(() => {
          if (!stopping) return start();
        })
        .catch(scheduleRestart);
    }, retryDelayMs);
  };

  const start = async () => {
    stopping = false;
    halted = false;
    buffer = [];
    await readModels.prepareVersion(projection.name, version);
    const checkpoint = await readModels.readCheckpoint(projection.name, version);
    status.appliedPosition = checkpoint;
    persistedPosition = checkpoint;
    status.state = 'catching_up';
    status.error = undefined;
    const subscribe = deps.subscribe ?? ((options: SubscribeOptions) => deps.eventStore.subscribeToAll(options));
    subscription = subscribe({
      after: checkpoint,
      // Synchronous unless the batch is full: most events only join the buffer, without a promise each.
      onEvent: (event) => {
        if (halted) return undefined;
        buffer.push(event);
        if (buffer.length >= batchSize) return flush(false);
        scheduleFlush();
        return undefined;
      },
      onCaughtUp: () => {
        if (halted) return;
        flush()
          .then(persistPosition)
          .then(() => {
            if (status.state === 'catching_up') status.state = 'live';
            caughtUpResolve();
          })
          .catch(fail);
      },
      onError: fail,
    });
  };

  const stop = async () => {
    stopping = true;
    clearTimeout(retryTimer);
    retryTimer = undefined;
    clearTimeout(persistTimer);
    persistTimer = undefined;
    await subscription?.stop();
    subscription = undefined;
    await abandoned;
    try {
      await flush();
      if (status.state !== 'failed') await persistPosition();
    } catch (error) {
      fail(error as Error);
    }
    if (status.state !== 'failed') status.state = 'stopped';
    waiters.forEach((waiter) => waiter.resolve(false));
    waiters = [];
    caughtUpPromise = new Promise<void>((resolve) => (caughtUpResolve = resolve));
  };

  const waitForPosition = (position: bigint, timeoutMs: number) =>
    new Promise<boolean>((resolve) => {
      if (status.appliedPosition !== undefined && status.appliedPosition >= position) return resolve(true);
      const waiter = {
        position,
        resolve: (reached: boolean) => {
          clearTimeout(timer);
          resolve(reached);
        },
      };
      const timer = setTimeout(() => {
        waiters = waiters.filter((other) => other !== waiter);
        resolve(false);
      }, timeoutMs);
      waiters.push(waiter);
    });

  return { start, stop, status: () => ({ ...status }), waitForPosition, caughtUp: () => caughtUpPromise };
};
