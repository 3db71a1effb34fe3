import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ReadAllOptions, RecordedEvent, Subscription } from '../../src/eventStore/eventStore';
import { createSqliteEventStore } from '../../src/eventStore/sqlite';
import type * as SqliteReads from '../../src/eventStore/sqliteReads';

// The log reads a subscription makes, counted around the real reads.
const logReads: Array<ReadAllOptions | undefined> = [];
jest.mock('../../src/eventStore/sqliteReads', () => {
  const actual = jest.requireActual<typeof SqliteReads>('../../src/eventStore/sqliteReads');
  return {
    ...actual,
    createSqliteReads: (...args: Parameters<typeof actual.createSqliteReads>) => {
      const reads = actual.createSqliteReads(...args);
      return {
        ...reads,
        readAll: (options?: ReadAllOptions) => {
          logReads.push(options);
          return reads.readAll(options);
        },
      };
    },
  };
});

/** Keeps this thread busy while the writer thread commits: its reply waits behind the change watch's timer. */
const busyFor = (ms: number) => {
  const until = Date.now() + ms;
  while (Date.now() < until);
};

describe('Given a live subscription on a SQLite log, a change watch polling every millisecond and no fallback poll', () => {
  it("When this process's commits reach the file before their notices reach the subscription, then it delivers them from the notices without reading the log", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'own-commit-'));
    const store = createSqliteEventStore({
      path: path.join(dir, 'events.sqlite'),
      changePollMs: 1,
      pollIntervalMs: 600_000,
    });
    const delivered: RecordedEvent[] = [];
    let subscription: Subscription | undefined;
    try {
      await new Promise<void>((live) => {
        subscription = store.subscribeToAll({
          onEvent: (event) => void delivered.push(event),
          onCaughtUp: () => live(),
        });
      });
      const readsWhenLive = logReads.length;
      for (let index = 0; index < 20; index += 1) {
        const appended = store.appendToStream('notice-1', [
          {
            id: randomUUID(),
            type: 'Noticed',
            data: { index },
            metadata: { actor: { type: 'system', id: 'test' }, correlationId: 'c', causationId: 'c' },
          },
        ]);
        busyFor(15);
        await appended;
      }
      for (let waited = 0; delivered.length < 20 && waited < 5000; waited += 10)
        await new Promise((resolve) => setTimeout(resolve, 10));

      expect(delivered.map((event) => (event.data as { index: number }).index)).toEqual(
        Array.from({ length: 20 }, (_, index) => index),
      );
      expect(logReads.slice(readsWhenLive)).toEqual([]);
    } finally {
      await subscription?.stop();
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
