import { WrongExpectedRevisionError } from '../../src/errors';
import type { ExpectedRevision } from '../../src/eventStore/eventStore';
import { ids, newEvent, newEvents, uniquePrefix, type CreateStore, type StoreUnderTest } from './eventStoreFixtures';

export const describeAppendContract = (createStore: CreateStore): void => {
  describe('appending with an expected revision', () => {
    let sut: StoreUnderTest;
    let stream: string;
    beforeEach(async () => {
      sut = await createStore();
      stream = `${uniquePrefix('append')}1`;
    });
    afterEach(() => sut.dispose());

    const appendTwo = () => sut.store.appendToStream(stream, newEvents(2), { expectedRevision: 'no_stream' });

    const expectConflict = async (expectedRevision: ExpectedRevision, before: string[]) => {
      await expect(sut.store.appendToStream(stream, [newEvent()], { expectedRevision })).rejects.toBeInstanceOf(
        WrongExpectedRevisionError,
      );
      expect(ids(await sut.store.readStream(stream))).toEqual(before);
    };

    it('When appending to a new stream with no_stream, then it returns revision 0..n-1 and the last position', async () => {
      const events = newEvents(3);
      const result = await sut.store.appendToStream(stream, events, { expectedRevision: 'no_stream' });
      expect(result.nextExpectedRevision).toBe(2n);
      const read = await sut.store.readStream(stream);
      expect(ids(read)).toEqual(ids(events));
      expect(read[2].position).toBe(result.position);
    });

    it('When appending with no_stream to an existing stream, then it conflicts and appends nothing', async () => {
      await appendTwo();
      const before = ids(await sut.store.readStream(stream));
      await expectConflict('no_stream', before);
    });

    it('When appending with stream_exists to an existing stream, then it succeeds', async () => {
      await appendTwo();
      const result = await sut.store.appendToStream(stream, [newEvent()], { expectedRevision: 'stream_exists' });
      expect(result.nextExpectedRevision).toBe(2n);
    });

    it('When appending with stream_exists to a missing stream, then it conflicts and the stream stays missing', async () => {
      await expectConflict('stream_exists', []);
    });

    it('When appending with any, then it succeeds on a missing and on an existing stream', async () => {
      expect(
        (await sut.store.appendToStream(stream, [newEvent()], { expectedRevision: 'any' })).nextExpectedRevision,
      ).toBe(0n);
      expect(
        (await sut.store.appendToStream(stream, [newEvent()], { expectedRevision: 'any' })).nextExpectedRevision,
      ).toBe(1n);
      expect((await sut.store.appendToStream(stream, [newEvent()])).nextExpectedRevision).toBe(2n);
    });

    it('When appending with the exact current revision, then it succeeds', async () => {
      await appendTwo();
      const result = await sut.store.appendToStream(stream, newEvents(2), { expectedRevision: 1n });
      expect(result.nextExpectedRevision).toBe(3n);
      expect((await sut.store.readStream(stream)).map((event) => event.revision)).toEqual([0n, 1n, 2n, 3n]);
    });

    it('When appending with a stale exact revision, then it conflicts with the actual revision and appends nothing', async () => {
      await appendTwo();
      const before = ids(await sut.store.readStream(stream));
      const error = await sut.store
        .appendToStream(stream, [newEvent()], { expectedRevision: 0n })
        .catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(WrongExpectedRevisionError);
      expect((error as WrongExpectedRevisionError).streamName).toBe(stream);
      expect((error as WrongExpectedRevisionError).actual).toBe('1');
      await expectConflict(5n, before);
    });

    it('When appending with an exact revision to a missing stream, then it conflicts', async () => {
      await expectConflict(0n, []);
    });

    it('When two writers append concurrently with the same expected revision, then exactly one wins', async () => {
      await appendTwo();
      const outcomes = await Promise.allSettled(
        [1, 2, 3].map(() => sut.store.appendToStream(stream, [newEvent()], { expectedRevision: 1n })),
      );
      expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
      outcomes
        .filter((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected')
        .forEach((outcome) => expect(outcome.reason).toBeInstanceOf(WrongExpectedRevisionError));
      expect(await sut.store.readStream(stream)).toHaveLength(3);
    });

    // The port promises idempotency only where EventStoreDB does (eventStore.ts): the same ids
    // with the same exact expected revision. Re-appends with `any`/`stream_exists` are not covered.
    it('When re-appending the same event ids with no_stream, then nothing is duplicated and the result is the same', async () => {
      const events = newEvents(2);
      const first = await sut.store.appendToStream(stream, events, { expectedRevision: 'no_stream' });
      const again = await sut.store.appendToStream(stream, events, { expectedRevision: 'no_stream' });
      expect(again).toEqual(first);
      expect(ids(await sut.store.readStream(stream))).toEqual(ids(events));
    });

    it('When re-appending the same event ids with the same exact revision after other events followed, then the first result answers and nothing is duplicated', async () => {
      await appendTwo();
      const events = newEvents(2);
      const first = await sut.store.appendToStream(stream, events, { expectedRevision: 1n });
      await sut.store.appendToStream(stream, [newEvent()], { expectedRevision: 3n });
      const again = await sut.store.appendToStream(stream, events, { expectedRevision: 1n });
      expect(again).toEqual(first);
      expect((await sut.store.readStream(stream)).map((event) => event.revision)).toEqual([0n, 1n, 2n, 3n, 4n]);
    });

    it('When re-appending the same event ids through another handle (a client that reconnected), then nothing is duplicated', async () => {
      const events = newEvents(1);
      const first = await sut.store.appendToStream(stream, events, { expectedRevision: 'no_stream' });
      const again = await (await sut.reopen()).appendToStream(stream, events, { expectedRevision: 'no_stream' });
      expect(again).toEqual(first);
      expect(await sut.store.readStream(stream)).toHaveLength(1);
    });

    it('When appending an event, then it reads back with its id, type, data, metadata and a recorded time', async () => {
      const event = newEvent('ThingDone', { nested: { list: [1, 'two', null] }, text: 'é ✓' });
      await sut.store.appendToStream(stream, [event]);
      const [read] = await sut.store.readStream(stream);
      expect(read).toMatchObject({ ...event, streamName: stream, revision: 0n });
      expect(typeof read.position).toBe('bigint');
      expect(new Date(read.recordedAt).toISOString()).toBe(read.recordedAt);
    });
  });
};
