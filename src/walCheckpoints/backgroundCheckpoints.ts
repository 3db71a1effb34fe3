import type Database from 'better-sqlite3';
import { startModuleWorker } from '../workers/moduleWorker';
import { workerCalls, type WorkerCalls } from '../workers/workerCalls';

export type CheckpointRequest = { type: 'watch' | 'unwatch'; path: string };

/** How often the checkpoint thread copies the WAL of each watched file into the file itself. */
export const CHECKPOINT_EVERY_MS = 250;

/**
 * What the main thread's own commit still checkpoints at: only a WAL that the checkpoint
 * thread left to grow this far (the thread died, or cannot keep up) is copied on the main
 * thread, as SQLite's autocheckpoint did before.
 */
const SAFETY_NET_PAGES = 10_000;

type Thread = { calls: WorkerCalls<CheckpointRequest, true>; queue: Promise<unknown>; watching: number };

let thread: Thread | undefined;

const send = (current: Thread, request: CheckpointRequest): Promise<unknown> => {
  // The thread answers one call at a time.
  const sent = current.queue.then(() => current.calls.call(request));
  current.queue = sent.catch(() => undefined);
  return sent;
};

/**
 * Moves the WAL checkpoints of `db`, a connection of the main thread that writes `path`,
 * to one thread shared by every such file of the process. A checkpoint copies the WAL
 * into the database file and syncs both: when SQLite's autocheckpoint ran it inside a
 * commit, every 10,000 pages (40 MB) of read-model writes stalled the event loop for
 * about 160 ms on the build machine. The thread starts with the first file and ends with
 * the last. Returns the release, to await before closing `db`: it closes the thread's
 * connection, so the last one closed is still `db`'s, which removes the WAL files.
 */
export const checkpointInBackground = (db: Database.Database, path: string): (() => Promise<void>) => {
  db.pragma(`wal_autocheckpoint = ${SAFETY_NET_PAGES}`);
  if (path === ':memory:') return async () => undefined;
  const current = (thread ??= {
    calls: workerCalls(startModuleWorker(__dirname, 'checkpointWorker', undefined), 'WAL checkpoint'),
    queue: Promise.resolve(),
    watching: 0,
  });
  current.watching += 1;
  // Not awaited, and a failure is not the caller's: the safety net checkpoints as before.
  send(current, { type: 'watch', path }).catch(() => undefined);
  let released = false;
  return async () => {
    if (released) return;
    released = true;
    await send(current, { type: 'unwatch', path }).catch(() => undefined);
    current.watching -= 1;
    if (current.watching > 0) return;
    if (thread === current) thread = undefined;
    await current.calls.close();
  };
};
