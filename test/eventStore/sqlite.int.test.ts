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
});
