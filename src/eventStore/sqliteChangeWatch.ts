import type Database from 'better-sqlite3';

/**
 * Notices commits that other connections made to the file (another process sharing the
 * log, or this process's writer thread) by polling `PRAGMA data_version`, which reads
 * the WAL index in shared memory: cheap enough to ask every few milliseconds, so a
 * subscription learns of another process's append at once instead of at its next poll.
 * `isNews` tells a change worth waking the listeners for (the writer thread's own commits
 * reach them through the commit notice already). While `ownCommitPending`, a change may be
 * that commit with its notice still on the way, so the watch leaves the change for a later
 * look instead of telling it apart too early; another process's commit meanwhile is not
 * lost: it shows then, or as a gap before the positions of the pending commit's notice.
 * Runs only while someone listens.
 */
export const createChangeWatch = (
  db: Database.Database,
  intervalMs: number,
  judge: { isNews: () => boolean; ownCommitPending: () => boolean } = {
    isNews: () => true,
    ownCommitPending: () => false,
  },
) => {
  const dataVersion = db.prepare<[], number>('PRAGMA data_version').pluck();
  const listeners = new Set<() => void>();
  let timer: NodeJS.Timeout | undefined;
  let version = 0;

  const check = () => {
    if (judge.ownCommitPending()) return;
    const current = dataVersion.get() as number;
    if (current === version) return;
    version = current;
    if (judge.isNews()) listeners.forEach((listener) => listener());
  };

  return {
    onChange: (listener: () => void) => {
      listeners.add(listener);
      if (!timer) {
        version = dataVersion.get() as number;
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
  };
};
