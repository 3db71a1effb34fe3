import { ids, newEvents, uniquePrefix, type CreateStore } from './eventStoreFixtures';

export const describeDurabilityContract = (createStore: CreateStore): void => {
  describe('durability', () => {
    it('When the store is closed and opened again, then every acknowledged event is there and appends continue', async () => {
      const sut = await createStore();
      const stream = `${uniquePrefix('durable')}1`;
      const events = newEvents(20);
      try {
        // Concurrent appends exercise the group-commit path, not only one-at-a-time writes.
        const results = await Promise.all(
          events.map((event) => sut.store.appendToStream(stream, [event], { expectedRevision: 'any' })),
        );
        const headBeforeClose = await sut.store.headPosition();
        await sut.store.close();

        const reopened = await sut.reopen();
        try {
          const read = await reopened.readStream(stream);
          expect(ids(read).sort()).toEqual(ids(events).sort());
          expect(read.map((event) => event.position).sort()).toEqual(results.map((result) => result.position).sort());
          const headAfterReopen = await reopened.headPosition();
          if (sut.isolated) expect(headAfterReopen).toBe(headBeforeClose);
          else expect((headAfterReopen as bigint) >= (headBeforeClose as bigint)).toBe(true);
          const next = await reopened.appendToStream(stream, newEvents(1), { expectedRevision: 19n });
          expect(next.nextExpectedRevision).toBe(20n);
        } finally {
          await reopened.close();
        }
      } finally {
        await sut.dispose();
      }
    });
  });
};
