import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import type { ClaimOutcome, IdempotencyStore } from './idempotencyStore';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS idempotency_keys (
  scope        TEXT NOT NULL,
  key          TEXT NOT NULL,
  fingerprint  TEXT NOT NULL,
  token        TEXT NOT NULL,
  status       INTEGER,
  body         TEXT,
  locked_until INTEGER NOT NULL,
  expires_at   INTEGER NOT NULL,
  PRIMARY KEY (scope, key)
);
CREATE INDEX IF NOT EXISTS idempotency_keys_expiry ON idempotency_keys (expires_at);
`;

type Row = {
  fingerprint: string;
  token: string;
  status: number | null;
  body: string | null;
  locked_until: number;
  expires_at: number;
};

/** Expired rows are purged at most this often; until then a claim simply ignores them. */
const PURGE_EVERY_MS = 10 * 60 * 1000;

/**
 * Idempotency records in a table of the read-model SQLite file, through a connection of
 * their own. synchronous=FULL (the read models use NORMAL): a record lost to a power
 * failure would let a retry run twice, whereas a lost read-model batch is re-applied.
 */
export const createSqliteIdempotencyStore = (options: { path: string }): IdempotencyStore => {
  let db: Database.Database | undefined;
  let purgedAt = 0;
  const open = (): Database.Database => {
    if (!db) throw new Error('Idempotency store is not started');
    return db;
  };

  const claimNow = (
    scope: string,
    key: string,
    fingerprint: string,
    now: number,
    lockMs: number,
    ttlMs: number,
  ): ClaimOutcome => {
    const connection = open();
    const row = connection
      .prepare(
        'SELECT fingerprint, token, status, body, locked_until, expires_at FROM idempotency_keys WHERE scope = ? AND key = ?',
      )
      .get(scope, key) as Row | undefined;
    const live = row && row.expires_at > now && (row.status !== null || row.locked_until > now);
    if (row && live) {
      if (row.fingerprint !== fingerprint) return { outcome: 'mismatch' };
      if (row.status === null) return { outcome: 'inFlight' };
      return { outcome: 'replay', answer: { status: row.status, body: JSON.parse(row.body ?? 'null') } };
    }
    const token = randomUUID();
    connection
      .prepare(
        `INSERT OR REPLACE INTO idempotency_keys (scope, key, fingerprint, token, status, body, locked_until, expires_at)
         VALUES (?, ?, ?, ?, NULL, NULL, ?, ?)`,
      )
      .run(scope, key, fingerprint, token, now + lockMs, now + ttlMs);
    return { outcome: 'claimed', token };
  };

  return {
    start: async () => {
      db = new Database(options.path);
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = FULL');
      db.pragma('busy_timeout = 5000');
      db.exec(SCHEMA);
    },
    close: async () => {
      db?.close();
      db = undefined;
    },
    claim: async ({ scope, key }, { fingerprint, now, lockMs, ttlMs }) => {
      const at = now.getTime();
      const connection = open();
      if (at - purgedAt > PURGE_EVERY_MS) {
        purgedAt = at;
        connection.prepare('DELETE FROM idempotency_keys WHERE expires_at <= ?').run(at);
      }
      // IMMEDIATE: the read and the write are one step, also against other processes on the file.
      return connection.transaction(claimNow).immediate(scope, key, fingerprint, at, lockMs, ttlMs);
    },
    complete: async ({ scope, key }, token, answer) => {
      open()
        .prepare('UPDATE idempotency_keys SET status = ?, body = ? WHERE scope = ? AND key = ? AND token = ?')
        .run(answer.status, JSON.stringify(answer.body ?? null), scope, key, token);
    },
    release: async ({ scope, key }, token) => {
      open()
        .prepare('DELETE FROM idempotency_keys WHERE scope = ? AND key = ? AND token = ? AND status IS NULL')
        .run(scope, key, token);
    },
  };
};
