import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import type { EventStore, StreamFreshness } from '../../src/eventStore/eventStore';
import { createSqliteEventStore } from '../../src/eventStore/sqlite';
import { appendFromAnotherProcess } from '../helpers/otherProcessAppend';

const metadata = { actor: { type: 'system' as const, id: 'here' }, correlationId: 'c', causationId: 'c' };
const appendHere = (store: EventStore, stream: string) =>
  store.appendToStream(stream, [{ id: uuidv7(), type: 'Here', data: {}, metadata }]);

describe('Given a stream of a SQLite log read at a freshness token', () => {
  let dir: string;
  let file: string;
  let store: EventStore;
  let freshness: StreamFreshness;
  let token: number;
  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'freshness-'));
    file = path.join(dir, 'events.sqlite');
    store = createSqliteEventStore({ path: file });
    freshness = store.freshness as StreamFreshness;
    await appendHere(store, 'read-1');
    token = freshness.token();
    // What a reader does next: read the stream; it ends at revision 0.
    expect((await store.readStream('read-1')).map((event) => event.revision)).toEqual([0n]);
  });
  afterEach(async () => {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('When nothing is appended, then the stream is unchanged at the revision read', () => {
    expect(freshness.unchanged('read-1', 0n, token)).toBe(true);
  });

  it('When this process appends to another stream, then the stream read is still unchanged', async () => {
    await appendHere(store, 'other-1');
    expect(freshness.unchanged('read-1', 0n, token)).toBe(true);
  });

  it('When this process appends to the stream, then it is changed at the revision read and unchanged at the new one', async () => {
    await appendHere(store, 'read-1');
    expect(freshness.unchanged('read-1', 0n, token)).toBe(false);
    expect(freshness.unchanged('read-1', 1n, token)).toBe(true);
  });

  it('When another process appends to the stream, then it is changed', () => {
    appendFromAnotherProcess(file, 'read-1');
    expect(freshness.unchanged('read-1', 0n, token)).toBe(false);
  }, 30_000);

  it('When another process appends to another stream, then the stream read is still unchanged', () => {
    appendFromAnotherProcess(file, 'other-1');
    expect(freshness.unchanged('read-1', 0n, token)).toBe(true);
  }, 30_000);

  it("When another process appends between two of this process's appends, then the stream is changed", async () => {
    await appendHere(store, 'here-1');
    appendFromAnotherProcess(file, 'read-1');
    await appendHere(store, 'here-2');
    expect(freshness.unchanged('read-1', 0n, token)).toBe(false);
  }, 30_000);

  it("When another process's append is read with a new token, then the stream is unchanged at its new revision", async () => {
    appendFromAnotherProcess(file, 'read-1');
    const later = freshness.token();
    expect((await store.readStream('read-1')).map((event) => event.revision)).toEqual([0n, 1n]);
    expect(freshness.unchanged('read-1', 1n, later)).toBe(true);
  }, 30_000);
});
