import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { StreamAppend } from './sqliteAppend';
import type { AppendOutcome } from './sqliteCommitGroup';
import type { WriterRequest } from './sqliteWriterWorker';

export type CommitGroup = (group: StreamAppend[]) => Promise<AppendOutcome[]>;
export type WriterThread = { commit: CommitGroup; close: () => Promise<void> };

type WriterReply = { ok: true; outcomes: AppendOutcome[] } | { ok: false; message: string };

/** From the built dist the worker is plain JS; from the TypeScript sources (tsx, ts-jest) it loads them through tsx. */
const startWorker = (logPath: string): Worker => {
  const workerData = { path: logPath };
  if (!__filename.endsWith('.ts')) return new Worker(path.join(__dirname, 'sqliteWriterWorker.js'), { workerData });
  const source = path.join(__dirname, 'sqliteWriterWorker.ts');
  const script = `require(${JSON.stringify(require.resolve('tsx/cjs'))}); require(${JSON.stringify(source)});`;
  return new Worker(script, { eval: true, workerData });
};

/**
 * The event log's writer thread, one group in flight at a time. It holds the process
 * open only while a commit is in flight, so an idle store never keeps a process alive.
 */
export const startWriterThread = (logPath: string): WriterThread => {
  const worker = startWorker(logPath);
  worker.unref();
  let current: { resolve: (outcomes: AppendOutcome[]) => void; reject: (error: Error) => void } | undefined;
  let broken: Error | undefined;
  let closing = false;

  const settle = (settleWith: (waiting: NonNullable<typeof current>) => void) => {
    const waiting = current;
    current = undefined;
    worker.unref();
    if (waiting) settleWith(waiting);
  };

  worker.on('message', (reply: WriterReply) =>
    settle((waiting) => (reply.ok ? waiting.resolve(reply.outcomes) : waiting.reject(new Error(reply.message)))),
  );
  worker.on('error', (error) => {
    broken = error;
    settle((waiting) => waiting.reject(error));
  });
  worker.on('exit', (code) => {
    broken ??= new Error(closing ? 'Event log closed' : `Event log writer exited with code ${code}`);
    settle((waiting) => waiting.reject(broken as Error));
  });

  const post = (request: WriterRequest) => worker.postMessage(request);

  const commit: CommitGroup = (group) =>
    new Promise((resolve, reject) => {
      if (broken) return reject(broken);
      current = { resolve, reject };
      worker.ref();
      post({ type: 'commit', group });
    });

  const close = () =>
    new Promise<void>((resolve) => {
      if (broken) return resolve();
      closing = true;
      worker.once('exit', () => resolve());
      worker.ref();
      post({ type: 'close' });
    });

  return { commit, close };
};
