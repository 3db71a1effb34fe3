import Database from 'better-sqlite3';

/** How long an open waits for other connections, as the busy timeout every file here uses. */
const BUSY_TIMEOUT_MS = 5000;
const RETRY_EVERY_MS = 10;

const pause = new Int32Array(new SharedArrayBuffer(4));
const sleepSync = (ms: number) => Atomics.wait(pause, 0, 0, ms);

const isBusy = (error: unknown) => (error as { code?: string }).code === 'SQLITE_BUSY';

/**
 * Opens a SQLite file in WAL mode with `synchronous` at the level given and a 5 s busy
 * timeout. Switching a new file to WAL fails at once with SQLITE_BUSY, without waiting,
 * while another connection holds its write lock: that is how two processes (nodes
 * starting together on one DATA_DIR), or a server's two threads, meet on a file neither
 * has switched yet. The switch is tried again until the busy timeout has passed.
 */
export const openWalFile = (path: string, synchronous: 'FULL' | 'NORMAL'): Database.Database => {
  const db = new Database(path, { timeout: BUSY_TIMEOUT_MS });
  const deadline = Date.now() + BUSY_TIMEOUT_MS;
  for (;;) {
    try {
      db.pragma('journal_mode = WAL');
      break;
    } catch (error) {
      if (!isBusy(error) || Date.now() >= deadline) {
        db.close();
        throw error;
      }
      sleepSync(RETRY_EVERY_MS);
    }
  }
  db.pragma(`synchronous = ${synchronous}`);
  return db;
};
