import path from 'node:path';
import Database from 'better-sqlite3';
import { v7 as uuidv7 } from 'uuid';
import type { EventStore } from '../../src/eventStore/eventStore';
import { createSqliteEventStore } from '../../src/eventStore/sqlite';
import { makeTempDir } from '../helpers/testApp';

const event = (type = 'Noted') => ({
  id: uuidv7(),
  type,
  data: { text: 'x' },
  metadata: { actor: { type: 'admin' as const, id: 'a' }, correlationId: 'c', causationId: 'c' },
});

describe('Given an event log whose appends arrive together and commit in one group', () => {
  let store: EventStore;
  beforeEach(() => {
    const file = path.join(makeTempDir('commit-group-'), 'events.sqlite');
    store = createSqliteEventStore({ path: file });
    // Stands in for an error SQLite answers by rolling the whole transaction back (disk full, I/O error).
    const other = new Database(file);
    other.exec(`CREATE TRIGGER disk_full BEFORE INSERT ON events WHEN NEW.type = 'DiskFull'
                BEGIN SELECT RAISE(ROLLBACK, 'disk full'); END`);
    other.close();
  });
  afterEach(() => store.close());

  it('When one append of the group rolls the transaction back, then every append of the group fails and none is kept', async () => {
    const group = [
      store.appendToStream('notes-1', [event()]),
      store.appendToStream('notes-2', [event('DiskFull')]),
      store.appendToStream('notes-3', [event()]),
    ];

    const settled = await Promise.allSettled(group);

    expect(settled.map((outcome) => outcome.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(await store.readAll()).toEqual([]);
  });

  it('When one append of the group conflicts, then it fails alone and the others commit', async () => {
    await store.appendToStream('notes-1', [event()]);
    const group = [
      store.appendToStream('notes-1', [event(), event()], { expectedRevision: 0n }),
      store.appendToStream('notes-2', [event()], { expectedRevision: 3n }),
      store.appendToStream('notes-3', [event()], { expectedRevision: 'no_stream' }),
    ];

    const settled = await Promise.allSettled(group);

    expect(settled.map((outcome) => outcome.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((await store.readAll()).map((recorded) => recorded.streamName)).toEqual([
      'notes-1',
      'notes-1',
      'notes-1',
      'notes-3',
    ]);
  });
});

describe('Given an event log, when an append reuses event ids its expected revision accepts', () => {
  let store: EventStore;
  beforeEach(() => {
    store = createSqliteEventStore({ path: path.join(makeTempDir('reused-ids-'), 'events.sqlite') });
  });
  afterEach(() => store.close());

  it.each([1, 3])(
    'When %i events are appended again with any, then the first result answers and nothing is duplicated',
    async (count) => {
      const events = Array.from({ length: count }, () => event());
      const first = await store.appendToStream('notes-1', events, { expectedRevision: 'any' });

      const again = await store.appendToStream('notes-1', events, { expectedRevision: 'any' });

      expect(again).toEqual(first);
      expect((await store.readAll()).map((recorded) => recorded.id)).toEqual(events.map(({ id }) => id));
    },
  );

  it('When appends reuse ids already in the log, alone and in a group, then the next events still take consecutive positions', async () => {
    const taken = event();
    await store.appendToStream('notes-1', [taken], { expectedRevision: 'any' });
    await store.appendToStream('notes-1', [taken], { expectedRevision: 'any' });
    await Promise.allSettled([
      store.appendToStream('notes-2', [taken]),
      store.appendToStream('notes-3', [event(), taken]),
      store.appendToStream('notes-4', [event()]),
    ]);
    await store.appendToStream('notes-5', [event()]);

    expect((await store.readAll()).map((recorded) => [recorded.streamName, recorded.position])).toEqual([
      ['notes-1', 1n],
      ['notes-4', 2n],
      ['notes-5', 3n],
    ]);
  });

  it('When a later event of an append in a group has an id already in the log, then that append fails alone and writes nothing', async () => {
    const taken = event();
    await store.appendToStream('notes-1', [taken]);
    const partlyTaken = [event(), taken];
    const group = [
      store.appendToStream('notes-2', partlyTaken),
      store.appendToStream('notes-3', [event()]),
      store.appendToStream('notes-4', [taken]),
    ];

    const settled = await Promise.allSettled(group);

    expect(settled.map((outcome) => outcome.status)).toEqual(['rejected', 'fulfilled', 'rejected']);
    expect((await store.readAll()).map((recorded) => recorded.streamName)).toEqual(['notes-1', 'notes-3']);
  });
});
