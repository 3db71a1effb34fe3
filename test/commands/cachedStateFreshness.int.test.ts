import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import { createCommandHandler, type Decider } from '../../src/commands/commandHandler';
import type { EventStore } from '../../src/eventStore/eventStore';
import { createSqliteEventStore } from '../../src/eventStore/sqlite';
import { appendFromAnotherProcess } from '../helpers/otherProcessAppend';

type Counted = { type: 'Counted'; data: { by: string } };
const counter: Decider<string[], { by: string }, Counted> = {
  initialState: () => [],
  decide: (command) => [{ type: 'Counted', data: { by: command.by } }],
  evolve: (state, event) => [...state, event.data.by],
};
const metadata = { actor: { type: 'system' as const, id: 'here' }, correlationId: 'c', causationId: 'c' };

describe('Given a command handler whose state of a stream is cached in this process', () => {
  let dir: string;
  let file: string;
  let store: EventStore;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cached-state-'));
    file = path.join(dir, 'events.sqlite');
    store = createSqliteEventStore({ path: file });
  });
  afterEach(async () => {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('When another process appends to the stream, then the next load holds its event', async () => {
    const handler = createCommandHandler(store, counter);
    await handler.handle('count-1', { by: 'here' }, metadata);
    expect(await handler.load('count-1')).toEqual(['here']);

    appendFromAnotherProcess(file, 'count-1', { type: 'Counted', data: { by: 'elsewhere' } });

    expect(await handler.load('count-1')).toEqual(['here', 'elsewhere']);
  }, 30_000);

  it('When another handler of this process appends to the stream, then the next load holds its event', async () => {
    const handler = createCommandHandler(store, counter);
    const another = createCommandHandler(store, counter);
    await handler.handle('count-1', { by: 'first' }, metadata);
    expect(await handler.load('count-1')).toEqual(['first']);

    await another.handle('count-1', { by: 'second' }, metadata);

    expect(await handler.load('count-1')).toEqual(['first', 'second']);
  });

  it('When nothing reached the stream, then a load does not read it', async () => {
    let reads = 0;
    const counted: EventStore = { ...store, readStream: (name, options) => (reads++, store.readStream(name, options)) };
    const handler = createCommandHandler(counted, counter);
    await handler.handle('count-1', { by: 'here' }, metadata);
    await handler.load('count-1');
    const before = reads;
    await store.appendToStream('elsewhere-1', [{ id: uuidv7(), type: 'Other', data: {}, metadata }]);

    expect(await handler.load('count-1')).toEqual(['here']);
    expect(reads).toBe(before);
  });
});
