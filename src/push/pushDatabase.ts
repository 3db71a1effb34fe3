import type Database from 'better-sqlite3';
import { openWalFile } from '../sqliteWalFile';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS push_ledger (
  post_id INTEGER NOT NULL,
  user_id TEXT NOT NULL,
  state   TEXT NOT NULL,
  PRIMARY KEY (post_id, user_id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS push_deliveries (
  post_id      INTEGER NOT NULL,
  user_id      TEXT NOT NULL,
  channel_id   INTEGER NOT NULL,
  delivery_id  TEXT NOT NULL,
  delivered_at TEXT NOT NULL,
  times        INTEGER NOT NULL,
  PRIMARY KEY (post_id, user_id)
) WITHOUT ROWID;
`;

/** The embedded push state (dedupe ledger, recorded deliveries): its own SQLite file in DATA_DIR. */
export const openPushDatabase = (path: string): Database.Database => {
  const db = openWalFile(path, 'NORMAL');
  db.exec(SCHEMA);
  return db;
};
