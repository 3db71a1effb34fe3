import type { RecordedEvent } from '../eventStore/eventStore';
import type { Document, ReadModelStore, ReadModelWriter } from '../readModels/readModelStore';
import { ProjectionError, ReadModelWriteError, type Projection, type ProjectionWriter } from './projection';

/**
 * Errors the read-model store raised under a projection. They travel up unwrapped: inside
 * a MongoDB transaction the driver retries only errors it recognises (its own, labelled
 * TransientTransactionError), so they are wrapped in `ReadModelWriteError` only once the
 * store's transaction has given up (see `commit`).
 */
const storeFailures = new WeakSet<object>();

const markingStoreFailures =
  <Args extends unknown[], Result>(operation: (...args: Args) => Promise<Result>) =>
  async (...args: Args): Promise<Result> => {
    try {
      return await operation(...args);
    } catch (error) {
      if (typeof error === 'object' && error !== null) storeFailures.add(error);
      throw error;
    }
  };

const isStoreFailure = (error: unknown): boolean =>
  typeof error === 'object' && error !== null && storeFailures.has(error);

/**
 * The writer a projection sees: stamps writes with the position of the event being
 * applied, marks store failures (see `storeFailures`). Built once per batch (not per event);
 * `at` moves it to the next event, which is safe because events are applied one at a time.
 */
const positionedWriter = (writer: ReadModelWriter) => {
  let position = 0n;
  const projectionWriter: ProjectionWriter = {
    get: markingStoreFailures(writer.get) as ProjectionWriter['get'],
    find: markingStoreFailures(writer.find) as ProjectionWriter['find'],
    put: markingStoreFailures((collection: string, key: string, doc: Document) =>
      writer.put(collection, key, doc, position),
    ),
    delete: markingStoreFailures(writer.delete),
  };
  return (eventPosition: bigint): ProjectionWriter => {
    position = eventPosition;
    return projectionWriter;
  };
};

export type BatchCommit = {
  /** The events of `batch` this projection handles. */
  relevant: (batch: RecordedEvent[]) => RecordedEvent[];
  /**
   * Applies `events` and stores `position` as the checkpoint in one read-model
   * transaction; with no events it stores the checkpoint alone.
   */
  commit: (events: RecordedEvent[], position: bigint) => Promise<void>;
};

/**
 * The one way a projection runner writes to the read-model store. Every commit, a batch
 * of events or a checkpoint alone, goes through `writeInTransaction` inside the store's
 * transaction: a check that must hold for the whole commit belongs there.
 */
export const createBatchCommit = (deps: {
  readModels: ReadModelStore;
  projection: Projection;
  version: number;
}): BatchCommit => {
  const { readModels, projection, version } = deps;
  const handled = new Set(projection.eventTypes);

  const writeInTransaction = async (transaction: ReadModelWriter, events: RecordedEvent[]) => {
    if (events.length === 0) return;
    const at = positionedWriter(transaction);
    for (const event of events) {
      try {
        await projection.apply(event, at(event.position));
      } catch (error) {
        if (isStoreFailure(error)) throw error;
        throw new ProjectionError(projection.name, event, error);
      }
    }
  };

  return {
    relevant: (batch) => batch.filter((event) => handled.has(event.type)),
    commit: async (events, position) => {
      try {
        await readModels.applyBatch(projection.name, version, position, (transaction) =>
          writeInTransaction(transaction, events),
        );
      } catch (error) {
        // The store's own retries (MongoDB's withTransaction) are over: now it is the runner's turn.
        if (error instanceof ProjectionError) throw error;
        throw new ReadModelWriteError(error);
      }
    },
  };
};
