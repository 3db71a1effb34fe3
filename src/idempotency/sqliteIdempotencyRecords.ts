import { randomUUID } from 'node:crypto';
import { openWalFile } from '../sqliteWalFile';
import type { ClaimOutcome, IdempotencyId, StoredAnswer } from './idempotencyStore';

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

/** One operation on the records; plain data, so it crosses to the store's thread. */
export type IdempotencyOperation =
  | { type: 'claim'; id: IdempotencyId; fingerprint: string; at: number; lockMs: number; ttlMs: number }
  | { type: 'complete'; id: IdempotencyId; token: string; answer: StoredAnswer }
  | { type: 'release'; id: IdempotencyId; token: string };

export type IdempotencyResult = { ok: true; claim?: ClaimOutcome } | { ok: false; message: string };

/**
 * The records in a SQLite file of their own (`DATA_DIR/idempotency.sqlite`).
 * synchronous=FULL (the read models use NORMAL): a record lost to a power failure would
 * let a retry run twice, whereas a lost read-model batch is re-applied.
 */
export const openIdempotencyRecords = (file: string) => {
  const db = openWalFile(file, 'FULL');
  db.exec(SCHEMA);
  const select = db.prepare<[string, string], Row>(
    'SELECT fingerprint, token, status, body, locked_until, expires_at FROM idempotency_keys WHERE scope = ? AND key = ?',
  );
  const insert = db.prepare(
    `INSERT OR REPLACE INTO idempotency_keys (scope, key, fingerprint, token, status, body, locked_until, expires_at)
     VALUES (?, ?, ?, ?, NULL, NULL, ?, ?)`,
  );
  const complete = db.prepare(
    'UPDATE idempotency_keys SET status = ?, body = ? WHERE scope = ? AND key = ? AND token = ?',
  );
  const release = db.prepare(
    'DELETE FROM idempotency_keys WHERE scope = ? AND key = ? AND token = ? AND status IS NULL',
  );
  const purge = db.prepare('DELETE FROM idempotency_keys WHERE expires_at <= ?');
  let purgedAt = 0;

  const claim = (operation: Extract<IdempotencyOperation, { type: 'claim' }>): ClaimOutcome => {
    const { id, fingerprint, at, lockMs, ttlMs } = operation;
    if (at - purgedAt > PURGE_EVERY_MS) {
      purgedAt = at;
      purge.run(at);
    }
    const row = select.get(id.scope, id.key);
    const live = row && row.expires_at > at && (row.status !== null || row.locked_until > at);
    if (row && live) {
      if (row.fingerprint !== fingerprint) return { outcome: 'mismatch' };
      if (row.status === null) return { outcome: 'inFlight' };
      return { outcome: 'replay', answer: { status: row.status, body: JSON.parse(row.body ?? 'null') } };
    }
    const token = randomUUID();
    insert.run(id.scope, id.key, fingerprint, token, at + lockMs, at + ttlMs);
    return { outcome: 'claimed', token };
  };

  const runOne = (operation: IdempotencyOperation): IdempotencyResult => {
    try {
      switch (operation.type) {
        case 'claim':
          return { ok: true, claim: claim(operation) };
        case 'complete': {
          const { id, token, answer } = operation;
          complete.run(answer.status, JSON.stringify(answer.body ?? null), id.scope, id.key, token);
          return { ok: true };
        }
        case 'release':
          release.run(operation.id.scope, operation.id.key, operation.token);
          return { ok: true };
      }
    } catch (error) {
      // An error SQLite answers by rolling the whole transaction back (disk full, I/O) fails the
      // batch: the operations after it must not run, and commit, outside the transaction.
      if (!db.inTransaction) throw error;
      return { ok: false, message: error instanceof Error ? error.message : String(error) };
    }
  };

  /**
   * Runs the operations in order in one durable IMMEDIATE transaction (one fsync for all):
   * a claim's read and write are one step, also against other processes on the file, and
   * each operation sees the ones before it.
   */
  const run = db.transaction((operations: IdempotencyOperation[]) => operations.map(runOne));

  return { run: (operations: IdempotencyOperation[]) => run.immediate(operations), close: () => db.close() };
};
