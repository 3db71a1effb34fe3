import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { RecordedEvent } from '../../src/eventStore/eventStore';
import { createSqliteEventStore } from '../../src/eventStore/sqlite';

const root = path.resolve(__dirname, '../..');

/** Appends one event to the log file from a process of its own, as a second API node would. */
const appendFromAnotherProcess = (file: string, stream: string) => {
  const script = `
    const { createSqliteEventStore } = require('./src/eventStore/sqlite');
    const store = createSqliteEventStore({ path: ${JSON.stringify(file)} });
    const meta = { actor: { type: 'system', id: 'other' }, correlationId: 'c', causationId: 'c' };
    store.appendToStream(${JSON.stringify(stream)}, [{ id: '019ce156-1647-75b9-a5ba-07758a4f7675', type: 'Elsewhere', data: {}, metadata: meta }])
      .then(() => store.close());`;
  const child = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], { cwd: root, encoding: 'utf8' });
  if (child.status !== 0) throw new Error(`appending process failed: ${child.stderr}`);
};

describe('Given a live subscription on a SQLite log whose fallback poll is far beyond the test', () => {
  it('When another process appends to the same file, then the subscription delivers the event (the change watch noticed it)', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'other-process-'));
    const file = path.join(dir, 'events.sqlite');
    const store = createSqliteEventStore({ path: file, pollIntervalMs: 600_000 });
    const delivered: RecordedEvent[] = [];
    let live!: () => void;
    const caughtUp = new Promise<void>((resolve) => (live = resolve));
    const subscription = store.subscribeToAll({
      onEvent: (event) => void delivered.push(event),
      onCaughtUp: () => live(),
    });
    try {
      await caughtUp;
      appendFromAnotherProcess(file, 'elsewhere-1');
      for (let waited = 0; delivered.length === 0 && waited < 10_000; waited += 20)
        await new Promise((resolve) => setTimeout(resolve, 20));

      expect(delivered.map((event) => [event.streamName, event.type])).toEqual([['elsewhere-1', 'Elsewhere']]);
    } finally {
      await subscription.stop();
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);

  it("When another process appends between two of this process's appends while an event is being handled, then all of them are delivered, in order", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'other-process-'));
    const file = path.join(dir, 'events.sqlite');
    const store = createSqliteEventStore({ path: file, pollIntervalMs: 600_000 });
    const delivered: string[] = [];
    let live!: () => void;
    const caughtUp = new Promise<void>((resolve) => (live = resolve));
    let release!: () => void;
    const handling = new Promise<void>((resolve) => (release = resolve));
    const subscription = store.subscribeToAll({
      onEvent: async (event) => {
        delivered.push(event.streamName);
        if (delivered.length === 1) await handling;
      },
      onCaughtUp: () => live(),
    });
    const meta = { actor: { type: 'system' as const, id: 'here' }, correlationId: 'c', causationId: 'c' };
    const appendHere = (stream: string) =>
      store.appendToStream(stream, [{ id: randomUUID(), type: 'Here', data: {}, metadata: meta }]);
    try {
      await caughtUp;
      await appendHere('here-1');
      await appendHere('here-2');
      appendFromAnotherProcess(file, 'elsewhere-3');
      await appendHere('here-4');
      release();
      for (let waited = 0; delivered.length < 4 && waited < 10_000; waited += 20)
        await new Promise((resolve) => setTimeout(resolve, 20));

      expect(delivered).toEqual(['here-1', 'here-2', 'elsewhere-3', 'here-4']);
    } finally {
      await subscription.stop();
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);
});
