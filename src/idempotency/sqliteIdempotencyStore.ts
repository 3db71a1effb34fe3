import { createBatchPipeline, type BatchPipeline } from '../workers/batchPipeline';
import { startModuleWorker } from '../workers/moduleWorker';
import { restartingWorkerCalls } from '../workers/restartingWorkerCalls';
import type { WorkerCalls } from '../workers/workerCalls';
import type { ClaimOutcome, IdempotencyStore } from './idempotencyStore';
import type { IdempotencyOperation, IdempotencyResult } from './sqliteIdempotencyRecords';

type Running = {
  thread: WorkerCalls<IdempotencyOperation[], IdempotencyResult[]>;
  pipeline: BatchPipeline<IdempotencyOperation, IdempotencyResult>;
};

/**
 * Idempotency records in a SQLite file of their own (sqliteIdempotencyRecords),
 * written by a thread of their own (sqliteIdempotencyWorker): the operations of concurrent
 * requests are pipelined into batches, each one durable transaction, so neither the fsync
 * nor the wait for another process's lock on the file blocks the event loop. A thread that
 * dies is started again: the batch in flight fails, the next one goes to the new thread.
 */
export const createSqliteIdempotencyStore = (options: { path: string }): IdempotencyStore => {
  let running: Running | undefined;

  const run = async (operation: IdempotencyOperation): Promise<ClaimOutcome | undefined> => {
    if (!running) throw new Error('Idempotency store is not started');
    const result = await running.pipeline.submit(operation);
    if (!result.ok) throw new Error(result.message);
    return result.claim;
  };

  return {
    start: async () => {
      const thread = restartingWorkerCalls<IdempotencyOperation[], IdempotencyResult[]>(
        () => startModuleWorker(__dirname, 'sqliteIdempotencyWorker', { path: options.path }),
        'Idempotency store',
      );
      // An empty batch answers once the file is open and its table exists (or fails as opening did).
      await thread.call([]).catch(async (error: unknown) => {
        await thread.close();
        throw error;
      });
      running = { thread, pipeline: createBatchPipeline({ commit: thread.call }) };
    },
    close: async () => {
      const stopping = running;
      running = undefined;
      await stopping?.pipeline.drained();
      await stopping?.thread.close();
    },
    claim: async (id, { fingerprint, now, lockMs, ttlMs }) =>
      (await run({ type: 'claim', id, fingerprint, at: now.getTime(), lockMs, ttlMs })) as ClaimOutcome,
    complete: async (id, token, answer) => {
      await run({ type: 'complete', id, token, answer });
    },
    release: async (id, token) => {
      await run({ type: 'release', id, token });
    },
  };
};
