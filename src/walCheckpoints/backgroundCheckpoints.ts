import type Database from 'better-sqlite3';
import type { Worker } from 'node:worker_threads';
import { startModuleWorker } from '../workers/moduleWorker';
import { workerCalls, type WorkerCalls } from '../workers/workerCalls';

/** Idempotent on the thread: `watch` opens the file's connection unless open, `unwatch` closes it. */
export type CheckpointRequest = { type: 'watch' | 'unwatch'; path: string };

/** How often the checkpoint thread copies the WAL of each watched file into the file itself. */
export const CHECKPOINT_EVERY_MS = 250;

/**
 * What the main thread's own commit still checkpoints at: only a WAL that the checkpoint
 * thread left to grow this far (it died and is not back yet, or cannot keep up) is copied
 * on the main thread, as SQLite's autocheckpoint did before.
 */
const SAFETY_NET_PAGES = 10_000;

/** A thread that died unasked is started again after this, with every file still watched. */
const RESTART_AFTER_MS = 1000;

type Thread = { worker: Worker; calls: WorkerCalls<CheckpointRequest, true>; queue: Promise<unknown> };

/** Per path, how many open connections of this process want its checkpoints: the one count that decides. */
const watchers = new Map<string, number>();
let thread: Thread | undefined;

const send = (current: Thread, request: CheckpointRequest): Promise<unknown> => {
  // The thread answers one call at a time. A failure is not the caller's: the safety net
  // checkpoints as before.
  const sent = current.queue.then(() => current.calls.call(request)).catch(() => undefined);
  current.queue = sent;
  return sent;
};

/** A new thread watches every file still watched: it may replace one that died. */
const startThread = (): Thread => {
  const worker = startModuleWorker(__dirname, 'checkpointWorker', undefined);
  const current: Thread = { worker, calls: workerCalls(worker, 'WAL checkpoint'), queue: Promise.resolve() };
  worker.once('exit', () => {
    if (thread !== current) return; // closed on purpose
    thread = undefined;
    setTimeout(() => {
      if (!thread && watchers.size > 0) threadNow();
    }, RESTART_AFTER_MS).unref();
  });
  for (const path of watchers.keys()) void send(current, { type: 'watch', path });
  return current;
};

const threadNow = (): Thread => (thread ??= startThread());

/**
 * Moves the WAL checkpoints of `db`, a connection of the main thread that writes `path`,
 * to one thread shared by every such file of the process. A checkpoint copies the WAL
 * into the database file and syncs both: when SQLite's autocheckpoint ran it inside a
 * commit, every 10,000 pages (40 MB) of read-model writes stalled the event loop for
 * about 160 ms on the build machine. The thread starts with the first file and ends with
 * the last; one that dies is started again. Call it once the file is set up, and await
 * the release before closing `db`, so that `db`'s close, the last, removes the WAL files.
 */
export const checkpointInBackground = (db: Database.Database, path: string): (() => Promise<void>) => {
  db.pragma(`wal_autocheckpoint = ${SAFETY_NET_PAGES}`);
  if (path === ':memory:') return async () => undefined;
  watchers.set(path, (watchers.get(path) ?? 0) + 1);
  // Sent for every watcher, so a watch that failed (the file could not be opened) is tried again.
  void send(threadNow(), { type: 'watch', path });
  let released = false;
  return async () => {
    if (released) return;
    released = true;
    const left = (watchers.get(path) ?? 1) - 1;
    if (left > 0) return void watchers.set(path, left);
    watchers.delete(path);
    const current = thread;
    if (!current) return;
    await send(current, { type: 'unwatch', path });
    if (watchers.size > 0 || thread !== current) return;
    thread = undefined;
    void current.calls.close();
  };
};

/** The checkpoint thread, while there is one (for tests: to see that one that dies comes back). */
export const checkpointThread = (): Worker | undefined => thread?.worker;
