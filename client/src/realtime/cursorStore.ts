/**
 * Where the SDK keeps the last event id of each subscription, so an app restart resumes
 * from it: back it with AsyncStorage, localStorage, a file or a database row.
 */
export type CursorStore = {
  get: (key: string) => string | undefined | Promise<string | undefined>;
  set: (key: string, eventId: string) => void | Promise<void>;
  delete?: (key: string) => void | Promise<void>;
};

/** Cursors in memory only (the default): a new process starts from a fresh REST page. */
export const createMemoryCursorStore = (
  initial: Record<string, string> = {},
): CursorStore & {
  snapshot: () => Record<string, string>;
} => {
  const cursors = new Map(Object.entries(initial));
  return {
    get: (key) => cursors.get(key),
    set: (key, eventId) => {
      cursors.set(key, eventId);
    },
    delete: (key) => {
      cursors.delete(key);
    },
    snapshot: () => Object.fromEntries(cursors),
  };
};
