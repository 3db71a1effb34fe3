import type Database from 'better-sqlite3';
import { SENT, type DeliveryLedger } from './deliveryLedger';

/** Embedded ledger: the same claim / sent / release rules as the Redis one, in the push SQLite file. */
export const createSqliteLedger = (db: Database.Database): DeliveryLedger => {
  const read = db.prepare('SELECT state FROM push_ledger WHERE post_id = ? AND user_id = ?').pluck();
  const insert = db.prepare('INSERT INTO push_ledger (post_id, user_id, state) VALUES (?, ?, ?)');
  const setState = db.prepare(
    `INSERT INTO push_ledger (post_id, user_id, state) VALUES (?, ?, ?)
     ON CONFLICT (post_id, user_id) DO UPDATE SET state = excluded.state`,
  );
  const remove = db.prepare('DELETE FROM push_ledger WHERE post_id = ? AND user_id = ? AND state = ?');

  const claim = db.transaction((postId: number, userIds: string[], token: string) =>
    userIds.filter((userId) => {
      const state = read.get(postId, userId) as string | undefined;
      if (state === undefined) insert.run(postId, userId, token);
      return state === undefined || state === token;
    }),
  );
  const markSent = db.transaction((postId: number, userIds: string[]) => {
    userIds.forEach((userId) => setState.run(postId, userId, SENT));
  });
  const release = db.transaction((postId: number, userIds: string[], token: string) => {
    userIds.forEach((userId) => remove.run(postId, userId, token));
  });

  return {
    claim: async (postId, userIds, token) => claim(postId, userIds, token),
    markSent: async (postId, userIds) => markSent(postId, userIds),
    release: async (postId, userIds, token) => release(postId, userIds, token),
  };
};
