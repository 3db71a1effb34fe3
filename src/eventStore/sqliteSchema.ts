import type Database from 'better-sqlite3';
import { openWalFile } from '../sqliteWalFile';
import type { RecordedEvent } from './eventStore';
import { storedEvent } from './storedEvent';

/** The events table; exported so the bench can measure raw inserts into the identical table. */
export const EVENTS_SCHEMA = `
CREATE TABLE IF NOT EXISTS events (
  position    INTEGER PRIMARY KEY AUTOINCREMENT,
  event_id    TEXT NOT NULL UNIQUE,
  stream_name TEXT NOT NULL,
  revision    INTEGER NOT NULL,
  type        TEXT NOT NULL,
  data        TEXT NOT NULL,
  metadata    TEXT NOT NULL,
  recorded_at TEXT NOT NULL,
  UNIQUE (stream_name, revision)
);
`;

export type EventRow = {
  position: number | bigint;
  event_id: string;
  stream_name: string;
  revision: number | bigint;
  type: string;
  data: string;
  metadata: string;
  recorded_at: string;
};

export const toRecorded = (row: EventRow): RecordedEvent =>
  storedEvent({
    id: row.event_id,
    type: row.type,
    dataJson: row.data,
    metadataJson: row.metadata,
    streamName: row.stream_name,
    revision: BigInt(row.revision),
    position: BigInt(row.position),
    recordedAt: row.recorded_at,
  });

/**
 * Opens the event log file in WAL mode with synchronous=FULL, so an acknowledged
 * append survives a crash or power loss; creates the table when missing.
 */
export const openEventLog = (path: string): Database.Database => {
  const db = openWalFile(path, 'FULL');
  db.exec(EVENTS_SCHEMA);
  db.defaultSafeIntegers(true);
  return db;
};
