import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { EventStore, NewEvent, RecordedEvent, Subscription } from '../../src/eventStore/eventStore';
import { createSqliteEventStore } from '../../src/eventStore/sqlite';
import { appendFromAnotherProcess } from '../helpers/otherProcessAppend';

const tagged = (tag: string): NewEvent => ({
  id: randomUUID(),
  type: 'Tagged',
  data: { tag },
  metadata: { actor: { type: 'system', id: 'test' }, correlationId: 'c', causationId: 'c' },
});

/** The group this process's writer has in flight is sent on the next tick. */
const groupSent = () => new Promise((resolve) => process.nextTick(resolve));

/**
 * Another process appends while this process's writer has a group in flight: the change
 * watch does not judge changes then, so the other process's event must come through
 * afterwards or as a gap in the notice. The fallback poll is far beyond the test.
 * `appendFromAnotherProcess` blocks this thread until the other process has committed, so
 * this process's writer thread commits meanwhile and its notice waits.
 */
describe("Given a live subscription on a SQLite log and another process appending during this process's commits", () => {
  let dir: string;
  let file: string;
  let store: EventStore;
  let subscription: Subscription | undefined;
  const delivered: RecordedEvent[] = [];
  const tags = () => delivered.map((event) => (event.data as { tag?: string }).tag ?? 'elsewhere');
  const delivers = async (count: number) => {
    for (let waited = 0; delivered.length < count && waited < 5000; waited += 10)
      await new Promise((resolve) => setTimeout(resolve, 10));
  };

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'in-flight-'));
    file = path.join(dir, 'events.sqlite');
    store = createSqliteEventStore({ path: file, changePollMs: 1, pollIntervalMs: 600_000 });
    delivered.length = 0;
    await new Promise<void>((live) => {
      subscription = store.subscribeToAll({ onEvent: (event) => void delivered.push(event), onCaughtUp: () => live() });
    });
  });
  afterEach(async () => {
    await subscription?.stop();
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('When it appends before our group is sent, then both are delivered in log order', async () => {
    const mine = store.appendToStream('mine-1', [tagged('mine')]);
    appendFromAnotherProcess(file, 'other-1');
    await mine;
    await delivers(2);
    expect(tags()).toEqual(['elsewhere', 'mine']);
  });

  it('When it appends after our commit and before its notice arrived, then its event is delivered after ours', async () => {
    const mine = store.appendToStream('mine-1', [tagged('mine')]);
    await groupSent();
    appendFromAnotherProcess(file, 'other-1');
    await mine;
    await delivers(2);
    expect(tags()).toEqual(['mine', 'elsewhere']);
  });

  it('When it appends between two of our groups sent back to back, then all three are delivered in log order', async () => {
    const first = store.appendToStream('mine-1', [tagged('first')]);
    await groupSent();
    const second = store.appendToStream('mine-2', [tagged('second')]);
    appendFromAnotherProcess(file, 'other-1');
    await Promise.all([first, second]);
    await delivers(3);
    expect(tags()).toEqual(['first', 'elsewhere', 'second']);
  });

  it('When it appends while our next group writes nothing (refused), then its event is delivered all the same', async () => {
    const first = store.appendToStream('mine-1', [tagged('first')]);
    await groupSent();
    const refused = store
      .appendToStream('mine-1', [tagged('refused')], { expectedRevision: 5n })
      .catch(() => 'refused');
    appendFromAnotherProcess(file, 'other-1');
    await expect(Promise.all([first, refused])).resolves.toEqual([expect.anything(), 'refused']);
    await delivers(2);
    expect(tags()).toEqual(['first', 'elsewhere']);
  });

  it('When it holds the write lock while our group waits for it and commits first, then both are delivered in log order', async () => {
    // A second connection stands in for the other process here: it must hold the lock across awaits.
    const other = new Database(file);
    try {
      other.prepare('BEGIN IMMEDIATE').run();
      const mine = store.appendToStream('mine-1', [tagged('mine')]);
      await new Promise((resolve) => setTimeout(resolve, 30));
      other
        .prepare(
          `INSERT INTO events (event_id, stream_name, revision, type, data, metadata, recorded_at) VALUES (?, 'other-1', 0, 'Elsewhere', '{}', '{}', ?)`,
        )
        .run(randomUUID(), new Date().toISOString());
      other.prepare('COMMIT').run();
      await mine;
      await delivers(2);
      expect(tags()).toEqual(['elsewhere', 'mine']);
    } finally {
      other.close();
    }
  });
});
