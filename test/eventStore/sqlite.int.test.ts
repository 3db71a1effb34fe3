import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { WrongExpectedRevisionError } from '../../src/errors';
import { createSqliteEventStore } from '../../src/eventStore/sqlite';
import { describeEventStoreContract } from './eventStoreContract';
import { newEvent, uniquePrefix } from './eventStoreFixtures';

describeEventStoreContract('embedded SQLite', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eventstore-'));
  const file = path.join(dir, 'events.sqlite');
  const open = () => createSqliteEventStore({ path: file, pollIntervalMs: 50 });
  const store = open();
  const reopened: Array<ReturnType<typeof open>> = [];
  return {
    store,
    isolated: true,
    reopen: async () => {
      const again = open();
      reopened.push(again);
      return again;
    },
    dispose: async () => {
      await store.close();
      await Promise.all(reopened.map((handle) => handle.close()));
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
});

describe('Given the embedded SQLite event store, beyond the contract', () => {
  it('When a catch-up handler returns nothing, then a page of events is delivered in one go: a microtask its first event queued runs after the last', async () => {
    const store = createSqliteEventStore({ path: ':memory:' });
    await store.appendToStream(`${uniquePrefix('page')}1`, [newEvent(), newEvent(), newEvent()]);
    const seen: string[] = [];
    const done = new Promise<void>((resolve) => {
      const subscription = store.subscribeToAll({
        onEvent: (event) => {
          if (seen.length === 0) void Promise.resolve().then(() => seen.push('microtask'));
          seen.push(`event ${event.position}`);
        },
        onCaughtUp: () => void subscription.stop().then(resolve),
      });
    });
    await done;
    expect(seen).toEqual(['event 1', 'event 2', 'event 3', 'microtask']);
    await store.close();
  });

  it("When an append expects a last event id that is not the stream's last event, then it is refused even at the right revision", async () => {
    const store = createSqliteEventStore({ path: ':memory:' });
    const stream = `${uniquePrefix('chained')}1`;
    const mine = newEvent();
    const theirs = newEvent();
    await store.appendToStream(stream, [theirs], { expectedRevision: 'no_stream' });
    await expect(
      store.appendToStream(stream, [newEvent()], { expectedRevision: 0n, expectedLastEventId: mine.id }),
    ).rejects.toBeInstanceOf(WrongExpectedRevisionError);
    const chained = await store.appendToStream(stream, [newEvent()], {
      expectedRevision: 0n,
      expectedLastEventId: theirs.id,
    });
    expect(chained.nextExpectedRevision).toBe(1n);
    expect(store.checksLastEventId).toBe(true);
    await store.close();
  });

  it('When re-appending an event with any after more events followed, then it is not duplicated: every event id is checked, whatever the expected revision', async () => {
    const store = createSqliteEventStore({ path: ':memory:' });
    const stream = `${uniquePrefix('any')}1`;
    const event = newEvent();
    const first = await store.appendToStream(stream, [event], { expectedRevision: 'any' });
    await store.appendToStream(stream, [newEvent()], { expectedRevision: 'any' });
    const again = await store.appendToStream(stream, [event], { expectedRevision: 'any' });
    expect(again.position).toBe(first.position);
    expect(await store.readStream(stream)).toHaveLength(2);
    await store.close();
  });

  it.each([
    ['in another order', (a: string, b: string) => [b, a]],
    ['mixed with an id of a later append', (a: string, _b: string, c: string) => [a, c]],
  ])(
    'When an append repeats ids of the stream %s with the same expected revision, then it is refused and writes nothing',
    async (_, pick) => {
      const store = createSqliteEventStore({ path: ':memory:' });
      const stream = `${uniquePrefix('repeat')}1`;
      const [a, b, c] = [newEvent(), newEvent(), newEvent()];
      await store.appendToStream(stream, [a, b], { expectedRevision: 'no_stream' });
      await store.appendToStream(stream, [c], { expectedRevision: 1n });
      const byId = new Map([a, b, c].map((event) => [event.id, event]));
      const repeated = pick(a.id, b.id, c.id).map((id) => byId.get(id) as typeof a);

      await expect(store.appendToStream(stream, repeated, { expectedRevision: 'no_stream' })).rejects.toBeInstanceOf(
        WrongExpectedRevisionError,
      );
      expect((await store.readStream(stream)).map((event) => event.id)).toEqual([a.id, b.id, c.id]);
      await store.close();
    },
  );
});
