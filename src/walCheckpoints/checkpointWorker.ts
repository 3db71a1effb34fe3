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
  const files = new Map<string, { db: Database.Database; watchers: number }>();

  const checkpointAll = () => {
    for (const { db } of files.values()) {
      try {
        db.pragma('wal_checkpoint(PASSIVE)');
      } catch {
        // Busy (another process checkpoints this file) or failing for now: the next round tries again.
      }
    }
  };
  const timer = setInterval(checkpointAll, CHECKPOINT_EVERY_MS);

  const handle = ({ type, path }: CheckpointRequest): true => {
    const watched = files.get(path);
    if (type === 'watch') {
      if (watched) watched.watchers += 1;
      else {
        const db = new Database(path, { timeout: 5000 });
        db.pragma('synchronous = NORMAL');
        files.set(path, { db, watchers: 1 });
      }
    } else if (watched && (watched.watchers -= 1) === 0) {
      files.delete(path);
      watched.db.close();
    }
    return true;
  };

  serveCalls(handle, () => {
    clearInterval(timer);
    files.forEach(({ db }) => db.close());
  });
}
