import {
  expectStrictlyIncreasing,
  ids,
  newEvent,
  newEvents,
  revisions,
  uniquePrefix,
  type CreateStore,
  type StoreUnderTest,
} from './eventStoreFixtures';

export const describeReadContract = (createStore: CreateStore): void => {
  describe('reading a stream', () => {
    let sut: StoreUnderTest;
    let stream: string;
    beforeAll(async () => {
      sut = await createStore();
      stream = `${uniquePrefix('read')}1`;
      await sut.store.appendToStream(stream, newEvents(5), { expectedRevision: 'no_stream' });
    });
    afterAll(() => sut.dispose());

    it.each([
      ['forwards, everything', {}, [0n, 1n, 2n, 3n, 4n]],
      ['forwards from revision 2', { fromRevision: 2n }, [2n, 3n, 4n]],
      ['forwards with maxCount 2', { maxCount: 2 }, [0n, 1n]],
      ['forwards from revision 1 with maxCount 2', { fromRevision: 1n, maxCount: 2 }, [1n, 2n]],
      ['forwards from past the end', { fromRevision: 9n }, []],
      ['backwards, everything', { direction: 'backwards' }, [4n, 3n, 2n, 1n, 0n]],
      ['backwards from revision 2', { direction: 'backwards', fromRevision: 2n }, [2n, 1n, 0n]],
      ['backwards with maxCount 2', { direction: 'backwards', maxCount: 2 }, [4n, 3n]],
      [
        'backwards from revision 3 with maxCount 2',
        { direction: 'backwards', fromRevision: 3n, maxCount: 2 },
        [3n, 2n],
      ],
    ] as const)('When reading %s, then it returns exactly those revisions', async (_label, options, expected) => {
      expect(revisions(await sut.store.readStream(stream, options))).toEqual(expected);
    });

    it('When the store indexes event ids, then readEventById finds an event with its stream, revision and position, and undefined for an unknown id', async () => {
      const { readEventById } = sut.store;
      if (!readEventById) {
        // Optional capability: stores without an id index (EventStoreDB) do not offer it.
        expect(sut.store.readEventById).toBeUndefined();
        return;
      }
      const [third] = await sut.store.readStream(stream, { fromRevision: 2n, maxCount: 1 });
      const found = await readEventById(third.id);
      expect(found).toMatchObject({ id: third.id, streamName: stream, revision: 2n, position: third.position });
      expect(await readEventById('01890000-0000-7000-8000-000000000000')).toBeUndefined();
    });

    it('When reading a stream that does not exist, then it returns no events', async () => {
      expect(await sut.store.readStream(`${uniquePrefix('missing')}1`)).toEqual([]);
      expect(await sut.store.readStream(`${uniquePrefix('missing')}1`, { direction: 'backwards' })).toEqual([]);
    });
  });

  describe('reading the whole log', () => {
    let sut: StoreUnderTest;
    let prefix: string;
    let appended: string[];
    let headBefore: bigint | undefined;
    beforeAll(async () => {
      sut = await createStore();
      prefix = uniquePrefix('all');
      headBefore = await sut.store.headPosition();
      const batches = [
        [`${prefix}a`, [newEvent('A1'), newEvent('A2')]],
        [`${prefix}b`, [newEvent('B1')]],
        [`${prefix}a`, [newEvent('A3')]],
        [`${prefix}c`, [newEvent('C1'), newEvent('C2')]],
      ] as const;
      appended = [];
      for (const [stream, events] of batches) {
        await sut.store.appendToStream(stream, [...events]);
        appended.push(...ids(events));
      }
    });
    afterAll(() => sut.dispose());

    const readMine = (
      options: { after?: bigint; maxCount?: number; eventTypes?: string[]; prefixes?: string[] } = {},
    ) =>
      sut.store.readAll({
        after: options.after,
        maxCount: options.maxCount,
        filter: { streamNamePrefixes: options.prefixes ?? [prefix], eventTypes: options.eventTypes },
      });

    it('When reading from the start, then events of every stream come in append order with increasing positions', async () => {
      const events = await readMine();
      expect(ids(events)).toEqual(appended);
      expectStrictlyIncreasing(events.map((event) => event.position));
      expect(events.map((event) => event.type)).toEqual(['A1', 'A2', 'B1', 'A3', 'C1', 'C2']);
    });

    it('When reading after a position, then that position is excluded', async () => {
      const events = await readMine();
      expect(ids(await readMine({ after: events[2].position }))).toEqual(appended.slice(3));
    });

    it('When reading with maxCount, then it stops after that many events', async () => {
      const events = await readMine();
      expect(ids(await readMine({ maxCount: 2 }))).toEqual(appended.slice(0, 2));
      expect(ids(await readMine({ after: events[1].position, maxCount: 3 }))).toEqual(appended.slice(2, 5));
    });

    it('When filtering by stream prefixes, then only those streams come back', async () => {
      const events = await readMine({ prefixes: [`${prefix}b`, `${prefix}c`] });
      expect(events.map((event) => event.type)).toEqual(['B1', 'C1', 'C2']);
    });

    it('When filtering by event type, then only those types come back', async () => {
      const events = await readMine({ eventTypes: ['A2', 'C1'] });
      expect(events.map((event) => event.type)).toEqual(['A2', 'C1']);
    });

    it('When reading without a filter, then it includes my events among everything', async () => {
      const everything = await sut.store.readAll({ after: headBefore });
      const mine = everything.filter((event) => event.streamName.startsWith(prefix));
      expect(ids(mine)).toEqual(appended);
      expectStrictlyIncreasing(everything.map((event) => event.position));
    });

    it('When reading the event at positions taken from the log, then exactly those events come back', async () => {
      const events = await readMine();
      for (const event of events) expect(await sut.store.readEventAt(event.position)).toEqual(event);
      const head = (await sut.store.headPosition()) as bigint;
      expect((await sut.store.readEventAt(head))?.position).toBe(head);
    });

    it('When asking for the head position, then it is the position of the last event in the log', async () => {
      const head = await sut.store.headPosition();
      const last = (await readMine()).at(-1);
      expect(head).toBeDefined();
      if (sut.isolated) expect(head).toBe(last?.position);
      else expect((head as bigint) >= (last?.position as bigint)).toBe(true);
      expect(await sut.store.readAll({ after: head, filter: { streamNamePrefixes: [prefix] } })).toEqual([]);
    });

    it('When reading past the head, then nothing is there until an event is appended, which lands past it', async () => {
      const head = (await sut.store.headPosition()) as bigint;
      const headEvent = await sut.store.readEventAt(head);
      // Only a dense store may be asked about a computed position; every store answers for ones from the log.
      if (sut.store.positionsAreDense) expect(await sut.store.readEventAt(head + 1n)).toBeUndefined();
      const pastHead = uniquePrefix('pasthead');
      const { position } = await sut.store.appendToStream(`${pastHead}1`, newEvents(1));
      expect(position > head).toBe(true);
      expect(await sut.store.readEventAt(head)).toEqual(headEvent);
      expect((await sut.store.readEventAt(position))?.streamName).toBe(`${pastHead}1`);
      const past = await sut.store.readAll({ after: head, filter: { streamNamePrefixes: [pastHead] } });
      expect(past.map((event) => event.position)).toEqual([position]);
    });
  });

  describe('an empty log', () => {
    it('When asking for the head position before and after a first append, then it is undefined (isolated) or not past the append, and the append becomes the head', async () => {
      const sut = await createStore();
      try {
        const before = await sut.store.headPosition();
        if (sut.isolated) expect(before).toBeUndefined();
        const none = uniquePrefix('none');
        expect(await sut.store.readAll({ filter: { streamNamePrefixes: [none] } })).toEqual([]);
        const { position } = await sut.store.appendToStream(`${none}1`, newEvents(1));
        if (before !== undefined) expect(position > before).toBe(true);
        const after = (await sut.store.headPosition()) as bigint;
        if (sut.isolated) expect(after).toBe(position);
        else expect(after >= position).toBe(true);
      } finally {
        await sut.dispose();
      }
    });
  });
};
