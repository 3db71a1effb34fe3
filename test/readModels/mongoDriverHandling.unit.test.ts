import type { RecordedEvent } from '../../src/eventStore/eventStore';
import { createBatchCommit } from '../../src/projections/batchCommit';
import { ProjectionError, ReadModelWriteError, type Projection } from '../../src/projections/projection';
import { createMongoReadModelStore } from '../../src/readModels/mongo';
import type { ReadModelStore } from '../../src/readModels/readModelStore';
import { createFakeMongoDriver, plainServerError, transientTransactionError } from './fakeMongoDriver';

/**
 * The MongoDB read-model adapter's handling of driver behaviour (retry labels, round trips,
 * transaction options, server checks), on the fake driver surface of fakeMongoDriver.ts.
 * The adapter's behaviour as a store is the contract suite's job (mongo.int.test.ts, MONGO_URL).
 */

/** Counts per key in `tallies`, and logs each event's key in `seen`: a get, then a put, per event. */
const tallyProjection = (options: { failOn?: string } = {}): Projection => ({
  name: 'tally',
  collections: [
    { name: 'tallies', indexes: [] },
    { name: 'seen', indexes: [] },
  ],
  eventTypes: ['Counted'],
  apply: async (event, writer) => {
    const { key } = event.data as { key: string };
    if (key === options.failOn) throw new Error(`cannot count ${key}`);
    const current = await writer.get<{ count: number }>('tallies', key);
    await writer.put('tallies', key, { count: (current?.count ?? 0) + 1 });
    await writer.put('seen', String(event.position), { key });
  },
});

const counted = (keys: string[]): RecordedEvent[] =>
  keys.map((key, index) => ({
    id: `event-${index}`,
    type: 'Counted',
    data: { key },
    metadata: { actor: { type: 'system', id: 'test' }, correlationId: 'c', causationId: 'c' },
    streamName: 'tally-1',
    revision: BigInt(index),
    position: BigInt(index + 1),
    recordedAt: '2026-12-04T00:00:00.000Z',
  }));

describe('Given the MongoDB read-model adapter on a fake driver surface', () => {
  let driver: ReturnType<typeof createFakeMongoDriver>;
  let store: ReadModelStore;

  const startStore = async (admin?: Parameters<typeof createFakeMongoDriver>[0], projection = tallyProjection()) => {
    driver = createFakeMongoDriver(admin);
    store = createMongoReadModelStore({
      url: 'mongodb://rs0/test',
      database: 'test',
      createClient: () => driver.client,
    });
    store.register({ name: projection.name, collections: projection.collections });
    await store.start();
    return createBatchCommit({ readModels: store, projection, version: 1 });
  };

  afterEach(async () => {
    await store?.close();
    await driver?.close();
  });

  describe('when a read inside the batch hits a write conflict (TransientTransactionError)', () => {
    it('then the error reaches the driver unwrapped, the driver runs the batch again, and it commits once', async () => {
      const batches = await startStore();
      driver.failNext('findOne', 'rm_tallies', transientTransactionError());
      await batches.commit(counted(['a', 'a', 'b']), 3n);
      expect(await store.get('tallies', 'a')).toEqual({ count: 2 });
      expect(await store.get('tallies', 'b')).toEqual({ count: 1 });
      expect(await store.readCheckpoint('tally', 1)).toBe(3n);
      expect(driver.calls.filter((call) => call.method === 'commitTransaction')).toHaveLength(1);
    });
  });

  describe('when writing the batch hits a write conflict', () => {
    it('then the driver runs the batch again and the aborted attempt leaves nothing behind', async () => {
      const batches = await startStore();
      // Whichever way the adapter writes documents (a bulkWrite, or an update each), the first write conflicts.
      driver.failNext('bulkWrite', 'rm_tallies', transientTransactionError());
      driver.failNext('updateOne', 'rm_tallies', transientTransactionError());
      await batches.commit(counted(['a', 'b']), 2n);
      expect(await store.get('tallies', 'a')).toEqual({ count: 1 });
      expect(await store.readCheckpoint('tally', 1)).toBe(2n);
    });
  });

  describe('when the store fails with an error the driver does not retry', () => {
    it('then the commit fails once, as a ReadModelWriteError carrying the driver error', async () => {
      const batches = await startStore();
      const error = plainServerError();
      driver.failNext('findOne', 'rm_tallies', error);
      const failure = await batches.commit(counted(['a']), 1n).catch((caught: unknown) => caught);
      expect(failure).toBeInstanceOf(ReadModelWriteError);
      expect((failure as ReadModelWriteError).cause).toBe(error);
      expect(await store.readCheckpoint('tally', 1)).toBeUndefined();
    });
  });

  describe('when the projection itself cannot apply an event', () => {
    it('then the commit fails with a ProjectionError, not retried and not taken for a store failure', async () => {
      const batches = await startStore(undefined, tallyProjection({ failOn: 'bad' }));
      const failure = await batches.commit(counted(['a', 'bad']), 2n).catch((caught: unknown) => caught);
      expect(failure).toBeInstanceOf(ProjectionError);
      expect(await store.get('tallies', 'a')).toBeUndefined();
    });
  });

  describe('when a batch of many events touches two collections', () => {
    it('then its writes go as one bulkWrite per collection in the transaction, with a bounded commit wait', async () => {
      const batches = await startStore();
      await batches.commit(counted(['a', 'b', 'a', 'c', 'b', 'a']), 6n);
      const documentWrites = driver.calls.filter(
        (call) => call.collection.startsWith('rm_') && ['bulkWrite', 'updateOne', 'deleteOne'].includes(call.method),
      );
      expect(documentWrites.map((call) => [call.collection, call.method])).toEqual([
        ['rm_tallies_v1', 'bulkWrite'],
        ['rm_seen_v1', 'bulkWrite'],
      ]);
      expect(documentWrites.every((call) => call.inTransaction && call.maxCommitTimeMS === 10_000)).toBe(true);
      // Reads of keys this batch already wrote answer from the batch: one read per distinct key.
      expect(
        driver.calls.filter((call) => call.collection === 'rm_tallies_v1' && call.method === 'findOne'),
      ).toHaveLength(3);
      expect(await store.get('tallies', 'a')).toEqual({ count: 3 });
      expect(await store.get('seen', '6')).toEqual({ key: 'a' });
    });

    it('then the store bounds the events of one batch, so a transaction stays well inside the 60 s limit', async () => {
      await startStore();
      expect(store.maxBatchEvents).toBe(1000);
    });
  });

  describe('when starting against a server', () => {
    it('then a standalone server (no replica set name) is refused with a message that says what to do', async () => {
      await expect(startStore({ hello: { isWritablePrimary: true } })).rejects.toThrow(
        /not a replica-set member.*--replSet/s,
      );
    });

    it('then a server older than 5.0 is refused with its version', async () => {
      await expect(startStore({ buildInfo: { version: '4.4.29' } })).rejects.toThrow(
        /runs MongoDB 4\.4\.29.*5\.0 or later/,
      );
    });

    it('then a 5.0+ replica-set member, a mongos, and a server that only answers isMaster are accepted', async () => {
      await expect(startStore({ buildInfo: { version: '5.0.0' } })).resolves.toBeDefined();
      await store.close();
      await driver.close();
      await expect(startStore({ hello: { msg: 'isdbgrid' } })).resolves.toBeDefined();
      await store.close();
      await driver.close();
      await expect(startStore({ helloUnsupported: true })).resolves.toBeDefined();
    });
  });
});
