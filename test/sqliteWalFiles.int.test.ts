import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { createSqliteSnapshotStore } from '../src/commands/snapshots/sqliteSnapshotStore';
import { openEventLog } from '../src/eventStore/sqliteSchema';
import { openIdempotencyRecords } from '../src/idempotency/sqliteIdempotencyRecords';
import { openPushDatabase } from '../src/push/pushDatabase';
import { openSqliteReadModels } from '../src/readModels/sqliteSchema';

/**
 * Another process that created `file` and holds its write lock for a moment, before the
 * file is in WAL mode: what a node starting a moment earlier does while it sets the file up.
 */
const holdWriteLockOfNewFile = (file: string, ms: number) =>
  new Promise<{ released: Promise<void> }>((holding, failed) => {
    const script = `
      const Database = require('better-sqlite3');
      const db = new Database(${JSON.stringify(file)});
      db.exec('CREATE TABLE holder (a); BEGIN IMMEDIATE; INSERT INTO holder VALUES (1)');
      process.stdout.write('holding\\n');
      setTimeout(() => { db.exec('COMMIT'); db.close(); }, ${ms});`;
    const child = spawn(process.execPath, ['-e', script], { cwd: path.resolve(__dirname, '..') });
    const released = new Promise<void>((done) => child.once('exit', () => done()));
    child.once('error', failed);
    child.stdout.once('data', () => holding({ released }));
  });

const openers: Array<[string, (file: string) => () => void]> = [
  [
    'the event log',
    (file) => {
      const db = openEventLog(file);
      return () => db.close();
    },
  ],
  ['the idempotency records', (file) => openIdempotencyRecords(file).close],
  [
    'the push database',
    (file) => {
      const db = openPushDatabase(file);
      return () => db.close();
    },
  ],
  [
    'the read models',
    (file) => {
      const { writer, reader } = openSqliteReadModels(file);
      return () => {
        reader.close();
        writer.close();
      };
    },
  ],
  [
    'the snapshots',
    (file) => {
      const store = createSqliteSnapshotStore({ path: file });
      return () => void store.close();
    },
  ],
];

describe('Given a new SQLite file whose write lock another process holds for a moment', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wal-open-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it.each(openers)(
    'When the server opens it as %s, then it waits for the lock and opens it in WAL mode',
    async (_, open) => {
      const file = path.join(dir, 'shared.sqlite');
      const holder = await holdWriteLockOfNewFile(file, 300);

      const close = open(file);
      close();
      await holder.released;

      const check = new Database(file, { readonly: true });
      expect(check.pragma('journal_mode', { simple: true })).toBe('wal');
      check.close();
    },
    20_000,
  );
});
