import fs from 'node:fs';
import path from 'node:path';
import { createSqliteSnapshotStore } from '../../src/commands/snapshots/sqliteSnapshotStore';
import { createSqliteReadModelStore } from '../../src/readModels/sqlite';
import type { ReadModelStore } from '../../src/readModels/readModelStore';
import { openWalFile } from '../../src/sqliteWalFile';
import { checkpointInBackground, checkpointThread } from '../../src/walCheckpoints/backgroundCheckpoints';
import { makeTempDir } from '../helpers/testApp';

const spec = { name: 'notes', collections: [{ name: 'notes', indexes: [] }] };
const TEXT = 'x'.repeat(10_000);
/** About 3 MB: some 750 pages, far below the 10,000 at which a commit of the main thread checkpoints. */
const DOCUMENTS = 300;

const sizeOf = (file: string) => (fs.existsSync(file) ? fs.statSync(file).size : 0);

/** Resolves once `file` holds at least `bytes`; fails after 10 s. */
const fileReaches = async (file: string, bytes: number) => {
  const deadline = Date.now() + 10_000;
  while (sizeOf(file) < bytes) {
    if (Date.now() > deadline) throw new Error(`${file} stayed at ${sizeOf(file)} bytes, below ${bytes}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
};

const openReadModels = async (file: string) => {
  const store = createSqliteReadModelStore({ path: file, versionCacheMs: 0 });
  store.register(spec);
  await store.start();
  return store;
};

const writeNotes = (store: ReadModelStore, from: number) =>
  store.applyBatch('notes', 1, BigInt(from + DOCUMENTS), async (writer) => {
    for (let index = from; index < from + DOCUMENTS; index++) {
      await writer.put('notes', `note-${index}`, { text: TEXT }, BigInt(index + 1));
    }
  });

describe('Given SQLite files the main thread writes (read models, snapshots), with their checkpoints on a thread', () => {
  let dir: string;
  const closers: Array<() => Promise<void>> = [];
  beforeEach(() => (dir = makeTempDir('wal-checkpoints-')));
  afterEach(async () => {
    for (const close of closers.splice(0)) await close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** A started read-model store on a file of this test, closed after it. */
  const givenReadModels = async () => {
    const file = path.join(dir, 'readmodels.sqlite');
    const store = await openReadModels(file);
    closers.push(store.close);
    return { file, store };
  };

  it('When a connection whose own checkpoints are off commits 3 MB, then the checkpoint thread copies them from the WAL into the file', async () => {
    const file = path.join(dir, 'raw.sqlite');
    const db = openWalFile(file, 'NORMAL');
    db.exec('CREATE TABLE notes (key TEXT PRIMARY KEY, text TEXT)');
    const release = checkpointInBackground(db, file);
    closers.push(async () => {
      await release();
      db.close();
    });
    db.pragma('wal_autocheckpoint = 0');

    const insert = db.prepare('INSERT INTO notes VALUES (?, ?)');
    db.transaction(() => {
      for (let index = 0; index < DOCUMENTS; index++) insert.run(`note-${index}`, TEXT);
    })();

    await fileReaches(file, DOCUMENTS * TEXT.length);
  });

  it('When projections commit 3 MB of documents, then they reach the read-model file in the background, long before the WAL of the store reaches its safety net', async () => {
    const { file, store } = await givenReadModels();

    await writeNotes(store, 0);

    await fileReaches(file, DOCUMENTS * TEXT.length);
    expect(await store.get('notes', 'note-299')).toEqual({ text: TEXT });
  });

  it('When 3 MB of snapshots are saved, then they reach the snapshot file the same way', async () => {
    const file = path.join(dir, 'snapshots.sqlite');
    const store = createSqliteSnapshotStore({ path: file });
    closers.push(store.close);

    for (let index = 0; index < DOCUMENTS; index++) {
      const snapshot = { revision: 1n, eventId: `e-${index}`, version: 'v1', state: TEXT, checksum: 'c' };
      await store.save({ streamName: `discussion-${index}`, ...snapshot });
    }

    await fileReaches(file, DOCUMENTS * TEXT.length);
  });

  it('When one of two stores on a file closes, then the other still has its writes copied in the background', async () => {
    const file = path.join(dir, 'readmodels.sqlite');
    const first = await openReadModels(file);
    const second = await openReadModels(file);
    closers.push(second.close);
    await first.close();

    await writeNotes(second, 0);

    await fileReaches(file, DOCUMENTS * TEXT.length);
  });

  it('When the checkpoint thread dies, then a new one takes over every file still watched', async () => {
    const { file, store } = await givenReadModels();

    const dying = checkpointThread();
    expect(dying).toBeDefined();
    await dying?.terminate();
    await writeNotes(store, 0);

    await fileReaches(file, DOCUMENTS * TEXT.length);
  });

  it('When another file is opened while the dead thread waits to be started again, then the new thread takes the earlier files too', async () => {
    const { file, store } = await givenReadModels();
    await checkpointThread()?.terminate();

    const other = createSqliteSnapshotStore({ path: path.join(dir, 'snapshots.sqlite') });
    closers.push(other.close);
    await writeNotes(store, 0);

    await fileReaches(file, DOCUMENTS * TEXT.length);
  });

  it('When the store closes, then the checkpoint thread lets go of the file too: no connection is left, the WAL and shared-memory files are gone', async () => {
    const { file, store } = await givenReadModels();
    await writeNotes(store, 0);

    await store.close();

    expect(fs.existsSync(`${file}-wal`)).toBe(false);
    expect(fs.existsSync(`${file}-shm`)).toBe(false);
  });
});
