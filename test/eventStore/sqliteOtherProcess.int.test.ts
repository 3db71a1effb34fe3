import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { EventStore, RecordedEvent, Subscription } from '../../src/eventStore/eventStore';
import { createSqliteEventStore } from '../../src/eventStore/sqlite';
import { appendFromAnotherProcess } from '../helpers/otherProcessAppend';

describe('Given a live subscription on a SQLite log whose fallback poll is far beyond the test', () => {
  let dir: string;
  let file: string;
  let store: EventStore;
  let subscription: Subscription | undefined;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'other-process-'));
    file = path.join(dir, 'events.sqlite');
    store = createSqliteEventStore({ path: file, pollIntervalMs: 600_000 });
  });
  afterEach(async () => {
    await subscription?.stop();
    subscription = undefined;
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** Subscribes from the start of the log; resolves once the subscription is live. */
  const subscribeLive = (onEvent: (event: RecordedEvent) => void | Promise<void>) =>
    new Promise<void>((live) => {
      subscription = store.subscribeToAll({ onEvent, onCaughtUp: () => live() });
    });

  /** Waits until `done()` holds or 10 s have passed (a hang guard, not a timing assertion). */
  const waitUntil = async (done: () => boolean) => {
    for (let waited = 0; !done() && waited < 10_000; waited += 20)
      await new Promise((resolve) => setTimeout(resolve, 20));
  };

  it('When another process appends to the same file, then the subscription delivers the event (the change watch noticed it)', async () => {
    const delivered: RecordedEvent[] = [];
    await subscribeLive((event) => void delivered.push(event));

    appendFromAnotherProcess(file, 'elsewhere-1');
    await waitUntil(() => delivered.length > 0);

    expect(delivered.map((event) => [event.streamName, event.type])).toEqual([['elsewhere-1', 'Elsewhere']]);
  }, 30_000);

  it("When another process appends between two of this process's appends while an event is being handled, then all of them are delivered, in order", async () => {
    const delivered: string[] = [];
    let release!: () => void;
    const handling = new Promise<void>((resolve) => (release = resolve));
    await subscribeLive(async (event) => {
      delivered.push(event.streamName);
      if (delivered.length === 1) await handling;
    });
    const meta = { actor: { type: 'system' as const, id: 'here' }, correlationId: 'c', causationId: 'c' };
    const appendHere = (stream: string) =>
      store.appendToStream(stream, [{ id: randomUUID(), type: 'Here', data: {}, metadata: meta }]);

    await appendHere('here-1');
    await appendHere('here-2');
    appendFromAnotherProcess(file, 'elsewhere-3');
    await appendHere('here-4');
    release();
    await waitUntil(() => delivered.length >= 4);

    expect(delivered).toEqual(['here-1', 'here-2', 'elsewhere-3', 'here-4']);
  }, 30_000);
});
