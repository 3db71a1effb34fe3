import path from 'node:path';
import Database from 'better-sqlite3';
import { v7 as uuidv7 } from 'uuid';
import { createSqliteEventStore } from '../../src/eventStore/sqlite';
import type { EventStore } from '../../src/eventStore/eventStore';
import { makeTempDir } from '../helpers/testApp';

const event = () => ({
  id: uuidv7(),
  type: 'Noted',
  data: { text: 'x' },
  metadata: { actor: { type: 'admin' as const, id: 'a' }, correlationId: 'c', causationId: 'c' },
});

/** Settles to 'pending' when `promise` has not settled after `ms` (a hang guard, not a timing assertion). */
const stateAfter = (promise: Promise<unknown>, ms: number) =>
  Promise.race([
    promise.then(
      () => 'committed',
      (error: Error) => `failed: ${error.message}`,
    ),
    new Promise((resolve) => setTimeout(() => resolve('pending'), ms)),
  ]);

describe('Given an event log file whose write lock another process holds', () => {
  let file: string;
  let store: EventStore;
  let other: Database.Database;
  beforeEach(() => {
    file = path.join(makeTempDir('write-lock-'), 'events.sqlite');
    store = createSqliteEventStore({ path: file });
    other = new Database(file);
  });
  afterEach(async () => {
    if (other.inTransaction) other.exec('ROLLBACK');
    other.close();
    await store.close();
  });

  it('When appends arrive, then they wait for the lock and commit once it is released', async () => {
    await store.appendToStream('notes-1', [event()]);
    other.exec('BEGIN IMMEDIATE');

    const lone = store.appendToStream('notes-1', [event()], { expectedRevision: 0n });
    const state = await stateAfter(lone, 200);
    const grouped = [store.appendToStream('notes-2', [event()]), store.appendToStream('notes-3', [event()])];
    other.exec('COMMIT');

    expect(state).toBe('pending');
    await expect(lone).resolves.toMatchObject({ nextExpectedRevision: 1n });
    await expect(Promise.all(grouped)).resolves.toHaveLength(2);
    expect((await store.readAll()).map((recorded) => recorded.streamName)).toEqual([
      'notes-1',
      'notes-1',
      'notes-2',
      'notes-3',
    ]);
  });
});
