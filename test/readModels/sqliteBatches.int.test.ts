import path from 'node:path';
import Database from 'better-sqlite3';
import { createSqliteReadModelStore } from '../../src/readModels/sqlite';
import type { ReadModelStore } from '../../src/readModels/readModelStore';
import { makeTempDir } from '../helpers/testApp';

const spec = { name: 'counters', collections: [{ name: 'counts', indexes: [['group']] }] };

/** Two stores on one file, as the server and a `commctl` process would have. */
const openTwo = async () => {
  const file = path.join(makeTempDir('readmodels-'), 'readmodels.sqlite');
  const open = async () => {
    const store = createSqliteReadModelStore({ path: file, versionCacheMs: 0 });
    store.register(spec);
    await store.start();
    return store;
  };
  return { file, first: await open(), second: await open() };
};

/** A batch that adds one to a counter document, as a projection folds an event into a document. */
const increment = (store: ReadModelStore, position: bigint, beforeWriting: () => Promise<void> = async () => {}) =>
  store.applyBatch('counters', 1, position, async (writer) => {
    const current = await writer.get<{ n: number; group: string }>('counts', 'c');
    await beforeWriting();
    await writer.put('counts', 'c', { n: (current?.n ?? 0) + 1, group: 'g' }, position);
  });

describe('Given two SQLite read-model stores on one file', () => {
  let stores: ReadModelStore[] = [];
  afterEach(async () => {
    await Promise.all(stores.map((store) => store.close()));
    stores = [];
  });

  it('When another process commits a batch while a batch is being computed from what it read, then that batch is computed again from the new rows: no update is lost', async () => {
    const { first, second } = await openTwo();
    stores = [first, second];
    await increment(first, 1n);
    await increment(first, 3n, () => increment(second, 2n));
    expect(await first.get('counts', 'c')).toEqual({ n: 3, group: 'g' });
    expect(await first.readCheckpoint('counters', 1)).toBe(3n);
  });

  it('When a batch is computed, then the write lock is free meanwhile: another process commits during it without waiting', async () => {
    const { first, second } = await openTwo();
    stores = [first, second];
    let committedMeanwhile = false;
    await increment(first, 2n, async () => {
      await increment(second, 1n);
      committedMeanwhile = true;
    });
    expect(committedMeanwhile).toBe(true);
    expect(await first.get('counts', 'c')).toEqual({ n: 2, group: 'g' });
  });

  it('When a version is prepared while a batch is being computed, after another process committed, then it waits for the batch (whose reads share one snapshot) and both succeed', async () => {
    const { first, second } = await openTwo();
    stores = [first, second];
    await increment(first, 1n);
    let preparing: Promise<void> | undefined;
    await increment(first, 3n, async () => {
      await increment(second, 2n);
      preparing = first.prepareVersion('counters', 2);
      for (let turn = 0; turn < 5; turn++) await new Promise((resolve) => setImmediate(resolve));
    });
    await preparing;
    expect((await second.listVersions('counters')).map((entry) => entry.version)).toEqual([1, 2]);
    expect(await second.get('counts', 'c')).toEqual({ n: 3, group: 'g' });
  });

  it('When the store is closed while a batch is being computed, then the batch commits first and the store closes after it', async () => {
    const { file, first, second } = await openTwo();
    stores = [second];
    let closing: Promise<void> | undefined;
    const batch = increment(first, 1n, async () => {
      closing = first.close();
      for (let turn = 0; turn < 5; turn++) await new Promise((resolve) => setImmediate(resolve));
    });
    await expect(batch).resolves.toBeUndefined();
    await closing;
    const db = new Database(file, { readonly: true });
    const row = db
      .prepare('SELECT checkpoint FROM projection_versions WHERE projection = ? AND version = 1')
      .get('counters') as { checkpoint: number };
    db.close();
    expect(row.checkpoint).toBe(1);
  });

  it('When a version is built beside the active one, then its tables get their indexes only when it is activated', async () => {
    const { file, first, second } = await openTwo();
    stores = [first, second];
    const indexesOf = (table: string) => {
      const db = new Database(file, { readonly: true });
      const names = (db.prepare('PRAGMA index_list(' + `"${table}"` + ')').all() as Array<{ name: string }>)
        .map((index) => index.name)
        .filter((name) => !name.startsWith('sqlite_autoindex'));
      db.close();
      return names;
    };
    await first.prepareVersion('counters', 2);
    await increment(first, 1n);
    await first.applyBatch('counters', 2, 1n, async (writer) => writer.put('counts', 'c', { n: 1, group: 'g' }, 1n));
    expect(indexesOf('rm_counts_v1')).toEqual(['rm_counts_v1_c0']);
    expect(indexesOf('rm_counts_v2')).toEqual([]);
    await first.activateVersion('counters', 2);
    expect(indexesOf('rm_counts_v2')).toEqual(['rm_counts_v2_c0']);
    expect(await second.find('counts', { where: { group: 'g' } })).toEqual([{ n: 1, group: 'g' }]);
  });
});
