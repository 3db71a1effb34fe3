import type { ProjectionSpec, ReadModelStore, ReadModelWriter } from '../../src/readModels/readModelStore';

/** What an adapter's test file gives the contract suite: a started store with `specs` registered. */
export type OpenStore = (specs: ProjectionSpec[]) => Promise<{ store: ReadModelStore; dispose: () => Promise<void> }>;

const items: ProjectionSpec = { name: 'items', collections: [{ name: 'items', indexes: [['group', 'rank']] }] };
const other: ProjectionSpec = { name: 'other', collections: [{ name: 'others', indexes: [] }] };

const put = (
  store: ReadModelStore,
  position: bigint,
  write: (writer: ReadModelWriter) => Promise<void>,
  projection = 'items',
  version = 1,
) => store.applyBatch(projection, version, position, write);

const item = (rank: number, over: Record<string, unknown> = {}) => ({
  id: rank,
  group: 'a',
  rank,
  flag: rank % 2 === 0,
  note: null,
  ...over,
});

/** The read-model store port's contract, run against every adapter. */
export const describeReadModelStoreContract = (adapter: string, openStore: OpenStore): void => {
  describe(`Given the ${adapter} read-model store`, () => {
    let store: ReadModelStore;
    let dispose: () => Promise<void>;
    beforeEach(async () => {
      ({ store, dispose } = await openStore([items, other]));
    });
    afterEach(() => dispose());

    it('When nothing was written, then get is undefined, find is empty and the checkpoint is undefined', async () => {
      expect(await store.get('items', 'x')).toBeUndefined();
      expect(await store.find('items', {})).toEqual([]);
      expect(await store.readCheckpoint('items', 1)).toBeUndefined();
    });

    it('When a batch puts documents, then they read back exactly (nested values, nulls, booleans) and the checkpoint is the batch position', async () => {
      const doc = {
        id: 1,
        group: 'a',
        nested: { list: [1, 'two', null], deep: { ok: true } },
        note: null,
        flag: false,
      };
      await put(store, 5n, async (writer) => writer.put('items', '1', doc, 5n));
      expect(await store.get('items', '1')).toEqual(doc);
      expect(await store.readCheckpoint('items', 1)).toBe(5n);
    });

    it('When a batch is at or before the checkpoint, then it is not run at all', async () => {
      await put(store, 5n, async (writer) => writer.put('items', '1', item(1), 5n));
      const write = jest.fn(async () => undefined);
      await put(store, 5n, write);
      await put(store, 3n, write);
      expect(write).not.toHaveBeenCalled();
      expect(await store.readCheckpoint('items', 1)).toBe(5n);
    });

    it('When a batch throws half way, then none of its writes and not its checkpoint are kept', async () => {
      await put(store, 1n, async (writer) => writer.put('items', '1', item(1), 1n));
      await expect(
        put(store, 2n, async (writer) => {
          await writer.put('items', '1', item(1, { note: 'changed' }), 2n);
          await writer.put('items', '2', item(2), 2n);
          throw new Error('boom');
        }),
      ).rejects.toThrow('boom');
      expect(await store.get('items', '1')).toEqual(item(1));
      expect(await store.get('items', '2')).toBeUndefined();
      expect(await store.readCheckpoint('items', 1)).toBe(1n);
    });

    it('When a put carries an earlier position than the stored document, then the stored document stays', async () => {
      await put(store, 10n, async (writer) => writer.put('items', '1', item(1, { note: 'new' }), 10n));
      await put(store, 11n, async (writer) => writer.put('items', '1', item(1, { note: 'old' }), 7n));
      expect(await store.get('items', '1')).toMatchObject({ note: 'new' });
      await put(store, 12n, async (writer) => writer.put('items', '1', item(1, { note: 'same position' }), 10n));
      expect(await store.get('items', '1')).toMatchObject({ note: 'same position' });
    });

    it('When a batch reads what it wrote earlier in the same batch, then it sees it; delete removes a document', async () => {
      await put(store, 1n, async (writer) => {
        await writer.put('items', '1', item(1), 1n);
        expect(await writer.get('items', '1')).toEqual(item(1));
        expect(await writer.find('items', { where: { group: 'a' } })).toHaveLength(1);
        await writer.delete('items', '1');
        expect(await writer.get('items', '1')).toBeUndefined();
      });
      expect(await store.get('items', '1')).toBeUndefined();
    });

    it('When finding with equality, ranges, in, null, booleans, ordering and limits, then the same rows come back as in every adapter', async () => {
      await put(store, 1n, async (writer) => {
        for (let rank = 1; rank <= 6; rank++)
          await writer.put('items', String(rank), item(rank, { note: rank === 3 ? 'x' : null }), 1n);
        await writer.put('items', 'b1', item(10, { group: 'b' }), 1n);
      });
      const ranks = async (query: Parameters<ReadModelStore['find']>[1]) =>
        (await store.find<{ rank: number }>('items', query)).map((doc) => doc.rank);
      expect(await ranks({ where: { group: 'a' }, orderBy: [['rank', 'asc']] })).toEqual([1, 2, 3, 4, 5, 6]);
      expect(await ranks({ where: { group: 'a', rank: { gt: 2, lte: 5 } }, orderBy: [['rank', 'desc']] })).toEqual([
        5, 4, 3,
      ]);
      expect(await ranks({ where: { rank: { gte: 5, lt: 10 } }, orderBy: [['rank', 'asc']] })).toEqual([5, 6]);
      expect(await ranks({ where: { rank: { in: [2, 4, 10] } }, orderBy: [['rank', 'asc']] })).toEqual([2, 4, 10]);
      expect(await ranks({ where: { rank: { in: [] } } })).toEqual([]);
      expect(await ranks({ where: { flag: true, group: 'a' }, orderBy: [['rank', 'asc']] })).toEqual([2, 4, 6]);
      expect(await ranks({ where: { note: 'x' } })).toEqual([3]);
      expect(await ranks({ where: { group: 'a', note: null }, orderBy: [['rank', 'asc']] })).toEqual([1, 2, 4, 5, 6]);
      expect(
        await ranks({
          orderBy: [
            ['group', 'desc'],
            ['rank', 'desc'],
          ],
          limit: 3,
        }),
      ).toEqual([10, 6, 5]);
      expect(await ranks({ where: { group: 'a' }, limit: 0 })).toEqual([]);
      expect(await ranks({ where: { group: 'c' } })).toEqual([]);
    });

    it('When a field name is not a plain identifier, then the query is refused', async () => {
      await expect(store.find('items', { where: { "x') OR 1=1 --": 1 } })).rejects.toThrow(RangeError);
    });

    it('When checkpoints exceed 2^53, then they are kept exactly', async () => {
      const big = 2n ** 53n + 3n;
      await put(store, big, async (writer) => writer.put('items', '1', item(1), big));
      expect(await store.readCheckpoint('items', 1)).toBe(big);
      await put(store, big + 1n, async (writer) => writer.put('items', '1', item(1, { note: 'later' }), big + 1n));
      await put(store, big + 2n, async (writer) => writer.put('items', '1', item(1, { note: 'stale' }), big - 1n));
      expect(await store.get('items', '1')).toMatchObject({ note: 'later' });
    });

    it('When two projections write in interleaved batches, then each keeps its own documents and checkpoint', async () => {
      await Promise.all([
        put(store, 3n, async (writer) => writer.put('items', '1', item(1), 3n)),
        put(store, 4n, async (writer) => writer.put('others', 'o', { v: 1 }, 4n), 'other'),
      ]);
      expect(await store.readCheckpoint('items', 1)).toBe(3n);
      expect(await store.readCheckpoint('other', 1)).toBe(4n);
      expect(await store.get('others', 'o')).toEqual({ v: 1 });
    });

    it('When a version 2 is built beside the active 1 and then activated, then reads switch atomically and version 1 can be dropped', async () => {
      await put(store, 1n, async (writer) => writer.put('items', '1', item(1, { note: 'v1' }), 1n));
      expect(await store.activeVersion('items')).toBe(1);
      await store.prepareVersion('items', 2);
      await store.prepareVersion('items', 2);
      await put(store, 9n, async (writer) => writer.put('items', '1', item(1, { note: 'v2' }), 9n), 'items', 2);
      expect(await store.get('items', '1')).toMatchObject({ note: 'v1' });
      expect(await store.listVersions('items')).toEqual([
        { version: 1, checkpoint: 1n, active: true },
        { version: 2, checkpoint: 9n, active: false },
      ]);
      await store.activateVersion('items', 2);
      expect(await store.activeVersion('items')).toBe(2);
      expect(await store.get('items', '1')).toMatchObject({ note: 'v2' });
      await expect(store.dropVersion('items', 2)).rejects.toThrow(RangeError);
      await store.dropVersion('items', 1);
      expect(await store.listVersions('items')).toEqual([{ version: 2, checkpoint: 9n, active: true }]);
      expect(await store.readCheckpoint('items', 1)).toBeUndefined();
    });

    it('When a collection is not registered, then reads are refused', async () => {
      await expect(store.get('unknown', '1')).rejects.toThrow(RangeError);
    });
  });
};
