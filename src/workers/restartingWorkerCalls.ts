import type { Worker } from 'node:worker_threads';
import { workerCalls, type WorkerCalls } from './workerCalls';

/** The worker thread died with the call in flight: whether the call took effect is unknown. */
export class WorkerLostError extends Error {}

/**
 * `workerCalls` on a thread that `start` starts again once it died (an uncaught error, a
 * crash): the call in flight fails with `WorkerLostError`, and the next call goes to a fresh
 * thread. A thread that dies at once fails each call; it is started again per call, not in a loop.
 */
export const restartingWorkerCalls = <Request, Result>(
  start: () => Worker,
  name: string,
): WorkerCalls<Request, Result> => {
  let current = workerCalls<Request, Result>(start(), name);
  let closed = false;

  const call = async (request: Request): Promise<Result> => {
    if (current.lost() && !closed) current = workerCalls<Request, Result>(start(), name);
    const calls = current;
    try {
      return await calls.call(request);
    } catch (error) {
      if (calls.lost()) {
        // An error thrown in a worker that is not a plain Error (better-sqlite3's SqliteError)
        // arrives as an object holding only its code.
        const reason = error instanceof Error ? error.message : ((error as { code?: string }).code ?? String(error));
        throw new WorkerLostError(`${name} thread died with a call in flight: ${reason}`, { cause: error });
      }
      throw error;
    }
  };

  const close = () => {
    closed = true;
    return current.close();
  };

  return { call, close, lost: () => current.lost() };
};
