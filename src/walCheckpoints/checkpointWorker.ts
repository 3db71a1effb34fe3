import Database from 'better-sqlite3';
import { isMainThread } from 'node:worker_threads';
import { serveCalls } from '../workers/serveCalls';
import { CHECKPOINT_EVERY_MS, type CheckpointRequest } from './backgroundCheckpoints';

/**
 * The checkpoint thread (backgroundCheckpoints): a connection of its own to each file it
 * is told to watch, and every CHECKPOINT_EVERY_MS a PASSIVE checkpoint of each, which
 * copies what the WAL holds into the database file and syncs it without waiting for, or
 * blocking, the main thread's readers and writer.
 */
if (!isMainThread) {
  const files = new Map<string, Database.Database>();

  const checkpointAll = () => {
    for (const db of files.values()) {
      try {
        db.pragma('wal_checkpoint(PASSIVE)');
      } catch {
        // Failing for now: the next round tries again.
      }
    }
  };
  const timer = setInterval(checkpointAll, CHECKPOINT_EVERY_MS);

  const open = (path: string) => {
    // The main thread set the file up: never create one that is gone.
    const db = new Database(path, { fileMustExist: true, timeout: 5000 });
    try {
      db.pragma('synchronous = NORMAL');
    } catch (error) {
      db.close();
      throw error;
    }
    return db;
  };

  const handle = ({ type, path }: CheckpointRequest): true => {
    const db = files.get(path);
    if (type === 'watch' && !db) files.set(path, open(path));
    if (type === 'unwatch' && db) {
      files.delete(path);
      db.close();
    }
    return true;
  };

  serveCalls(handle, () => {
    clearInterval(timer);
    files.forEach((db) => db.close());
  });
}
