import path from 'node:path';
import Database from 'better-sqlite3';
import { v7 as uuidv7 } from 'uuid';
import { AppendOutcomeUnknownError } from '../../src/errors';
import type { EventStore } from '../../src/eventStore/eventStore';
import { createSqliteEventStore } from '../../src/eventStore/sqlite';
import type * as StartedWorkers from '../helpers/startedWorkers';
import { startedWorkers } from '../helpers/startedWorkers';
import { makeTempDir } from '../helpers/testApp';

jest.mock('../../src/workers/moduleWorker', () =>
  jest.requireActual<typeof StartedWorkers>('../helpers/startedWorkers').recordingModuleWorker(),
);

const event = () => ({
  id: uuidv7(),
  type: 'Noted',
  data: { text: 'x' },
  metadata: { actor: { type: 'admin' as const, id: 'a' }, correlationId: 'c', causationId: 'c' },
});

describe('Given an event log whose writer thread dies', () => {
  let file: string;
  let store: EventStore;
  beforeEach(() => {
    startedWorkers.length = 0;
    file = path.join(makeTempDir('writer-lost-'), 'events.sqlite');
    store = createSqliteEventStore({ path: file });
  });
  afterEach(() => store.close());

  it('When it dies with an append in flight, then that append is unknown, the same append again lands once, and later appends commit', async () => {
    await store.appendToStream('notes-1', [event()]);
    // Another process's write lock keeps the next append in flight while the thread dies.
    const other = new Database(file);
    other.exec('BEGIN IMMEDIATE');
    const events = [event()];
    const inFlight = store.appendToStream('notes-1', events, { expectedRevision: 0n });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const terminated = startedWorkers[0].terminate();
    other.exec('ROLLBACK');
    other.close();
    await terminated;

    await expect(inFlight).rejects.toBeInstanceOf(AppendOutcomeUnknownError);
    await expect(store.appendToStream('notes-1', events, { expectedRevision: 0n })).resolves.toMatchObject({
      nextExpectedRevision: 1n,
    });
    await expect(store.appendToStream('notes-1', [event()], { expectedRevision: 1n })).resolves.toMatchObject({
      nextExpectedRevision: 2n,
    });
    expect((await store.readStream('notes-1')).map((recorded) => recorded.revision)).toEqual([0n, 1n, 2n]);
    expect(startedWorkers).toHaveLength(2);
  });

  it('When it died while idle, then the next append commits on a new thread', async () => {
    await store.appendToStream('notes-1', [event()]);
    await startedWorkers[0].terminate();

    await expect(store.appendToStream('notes-1', [event()], { expectedRevision: 0n })).resolves.toMatchObject({
      nextExpectedRevision: 1n,
    });
    expect(startedWorkers).toHaveLength(2);
  });
});
