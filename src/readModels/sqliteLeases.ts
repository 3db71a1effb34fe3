import type Database from 'better-sqlite3';
import { LeaseLostError, type Fence, type Lease, type LeaseStore } from './leases';

export const LEASES_SCHEMA = `
CREATE TABLE IF NOT EXISTS leases (
  name       TEXT PRIMARY KEY,
  owner      TEXT NOT NULL,
  token      INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
);
`;

type LeaseRow = { name: string; owner: string; token: number; expires_at: number };

const toLease = (row: LeaseRow | undefined): Lease | undefined =>
  row && { name: row.name, owner: row.owner, token: row.token, expiresAt: new Date(row.expires_at) };

// Expiry is in this machine's clock (Date.now): every process sharing a SQLite file runs on one machine.
const ACQUIRE = `
INSERT INTO leases (name, owner, token, expires_at) VALUES (@name, @owner, 1, @expires)
ON CONFLICT (name) DO UPDATE SET
  token = CASE WHEN leases.owner = @owner AND leases.expires_at > @now THEN leases.token ELSE leases.token + 1 END,
  owner = @owner,
  expires_at = @expires
WHERE leases.expires_at <= @now OR leases.owner = @owner
RETURNING name, owner, token, expires_at`;

const RENEW = `
UPDATE leases SET expires_at = @expires
WHERE name = @name AND owner = @owner AND token = @token AND expires_at > @now
RETURNING name, owner, token, expires_at`;

const RELEASE = 'UPDATE leases SET expires_at = @now WHERE name = @name AND owner = @owner AND token = @token';

const HOLDS = 'SELECT 1 FROM leases WHERE name = ? AND token = ? AND expires_at > ?';

/**
 * The leases of the SQLite read models: a table in the read-model file, written on the
 * writer connection between batches (`exclusive`), never inside one: a batch rolled back
 * must not take a renewal with it.
 */
export const createSqliteLeases = (deps: {
  exclusive: <T>(work: (db: Database.Database) => T) => Promise<T>;
  prepare: (db: Database.Database, sql: string) => Database.Statement;
}): LeaseStore => {
  const write = (sql: string, params: Record<string, unknown>) =>
    deps.exclusive((db) => toLease(deps.prepare(db, sql).get({ now: Date.now(), ...params }) as LeaseRow | undefined));
  return {
    acquire: (name, owner, ttlMs) => write(ACQUIRE, { name, owner, expires: Date.now() + ttlMs }),
    renew: (name, owner, token, ttlMs) => write(RENEW, { name, owner, token, expires: Date.now() + ttlMs }),
    release: async (name, owner, token) => {
      await deps.exclusive((db) => deps.prepare(db, RELEASE).run({ name, owner, token, now: Date.now() }));
    },
    read: (name) =>
      deps.exclusive((db) =>
        toLease(deps.prepare(db, 'SELECT * FROM leases WHERE name = ?').get(name) as LeaseRow | undefined),
      ),
  };
};

/** The fencing check, inside a batch's transaction (BEGIN IMMEDIATE: no takeover can commit until it ends). */
export const assertSqliteFence = (
  db: Database.Database,
  prepare: (db: Database.Database, sql: string) => Database.Statement,
  fence: Fence,
) => {
  if (!prepare(db, HOLDS).get(fence.lease, fence.token, Date.now())) throw new LeaseLostError(fence);
};
