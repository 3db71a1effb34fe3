import type { Worker } from 'node:worker_threads';

/** What crosses to a worker served by `serveCalls`, and what comes back. */
export type WorkerMessage<Request> = { type: 'call'; request: Request } | { type: 'close' };
export type WorkerReply<Result> = { ok: true; result: Result } | { ok: false; message: string };

export type WorkerCalls<Request, Result> = {
  /** One call at a time: the caller waits for each answer before the next call. */
  call: (request: Request) => Promise<Result>;
  close: () => Promise<void>;
  /** The thread failed or exited, unasked: every call fails from then on. */
  lost: () => boolean;
};

/**
 * The calling side of a worker that answers one call at a time. The worker holds the
 * process open only while a call is in flight, so an idle store never keeps it alive; once
 * the worker fails or exits, every call fails with that error.
 */
export const workerCalls = <Request, Result>(worker: Worker, name: string): WorkerCalls<Request, Result> => {
  worker.unref();
  let current: { resolve: (result: Result) => void; reject: (error: Error) => void } | undefined;
  let broken: Error | undefined;
  let closing = false;

  const settle = (settleWith: (waiting: NonNullable<typeof current>) => void) => {
    const waiting = current;
    current = undefined;
    worker.unref();
    if (waiting) settleWith(waiting);
  };

  worker.on('message', (reply: WorkerReply<Result>) =>
    settle((waiting) => (reply.ok ? waiting.resolve(reply.result) : waiting.reject(new Error(reply.message)))),
  );
  worker.on('error', (error) => {
    broken = error;
    settle((waiting) => waiting.reject(error));
  });
  worker.on('exit', (code) => {
    broken ??= new Error(closing ? `${name} closed` : `${name} thread exited with code ${code}`);
    settle((waiting) => waiting.reject(broken as Error));
  });

  const post = (message: WorkerMessage<Request>) => worker.postMessage(message);

  const call = (request: Request) =>
    new Promise<Result>((resolve, reject) => {
      if (broken) return reject(broken);
      try {
        post({ type: 'call', request });
      } catch (error) {
        return reject(error instanceof Error ? error : new Error(String(error))); // e.g. a value that cannot be cloned
      }
      current = { resolve, reject };
      worker.ref();
    });

  const close = () =>
    new Promise<void>((resolve) => {
      if (broken) return resolve();
      closing = true;
      worker.once('exit', () => resolve());
      worker.ref();
      post({ type: 'close' });
    });

  return { call, close, lost: () => broken !== undefined && !closing };
};
