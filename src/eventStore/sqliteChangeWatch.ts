import type Database from 'better-sqlite3';

/**
 * Notices commits that other connections made to the file (another process sharing the
 * log, or this process's writer thread) by polling `PRAGMA data_version`, which reads
 * the WAL index in shared memory: cheap enough to ask every few milliseconds, so a
 * subscription learns of another process's append at once instead of at its next poll.
 *
 * `isNews` tells a change worth waking the listeners for: the writer thread's own commits
 * reach them through the commit notice already. While `ownCommitPending`, a change may be
 * that commit, in the file before its notice reached this thread, so it is judged once the
 * notice has arrived (`ownCommitNoticed`) or at the first look with nothing in flight.
 * Another process's commit in that window is judged news then, or the notice's positions
 * leave a gap before it. Runs only while someone listens.
 */
export const createChangeWatch = (
  db: Database.Database,
  intervalMs: number,
  options: { isNews: () => boolean; ownCommitPending: () => boolean },
) => {
  const dataVersion = db.prepare<[], number>('PRAGMA data_version').pluck();
  const listeners = new Set<() => void>();
  let timer: NodeJS.Timeout | undefined;
  let version = 0;
  // A change seen and not judged yet.
  let unjudged = false;

  const judge = () => {
    unjudged = false;
    if (options.isNews()) listeners.forEach((listener) => listener());
  };

  const check = () => {
    const current = dataVersion.get() as number;
    if (current !== version) {
      version = current;
      unjudged = true;
    }
    if (unjudged && !options.ownCommitPending()) judge();
  };

  return {
    onChange: (listener: () => void) => {
      listeners.add(listener);
      if (!timer) {
        version = dataVersion.get() as number;
        unjudged = false;
        timer = setInterval(check, intervalMs);
        timer.unref();
      }
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0 && timer) {
          clearInterval(timer);
          timer = undefined;
        }
      };
    },
    /**
     * Call after a commit notice: a change seen while that commit was in flight is judged now,
     * against the position the notice reached. (The next group may be in the file already:
     * then it is taken for news, and the subscriptions read what its notice would have brought.)
     */
    ownCommitNoticed: () => {
      if (unjudged && timer) judge();
    },
  };
};
