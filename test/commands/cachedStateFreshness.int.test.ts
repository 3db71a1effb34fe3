import { fork } from 'node:child_process';
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

  it('When a command was chained on an append in flight, then a load after both does not read the stream', async () => {
    let reads = 0;
    const counted: EventStore = { ...store, readStream: (name, options) => (reads++, store.readStream(name, options)) };
    const handler = createCommandHandler(counted, counter);
    await handler.handle('count-1', { by: 'first' }, metadata);
    await Promise.all([
      handler.handle('count-1', { by: 'second' }, metadata),
      handler.handle('count-1', { by: 'third' }, metadata),
    ]);
    const before = reads;

    expect(await handler.load('count-1')).toEqual(['first', 'second', 'third']);
    expect(reads).toBe(before);
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

  it('When another process appends to fact streams while this process writes to them and to others, then every load after its acknowledgement holds its event', async () => {
    const appender = fork(path.join(__dirname, '../helpers/appenderProcess.ts'), [file], {
      execArgv: ['--import', 'tsx'],
    });
    const answered = new Map<number, () => void>();
    await new Promise<void>((ready) => appender.once('message', () => ready()));
    appender.on('message', (reply: { id: number }) => answered.get(reply.id)?.());
    const appendElsewhere = (id: number, stream: string) =>
      new Promise<void>((done) => {
        answered.set(id, done);
        appender.send({ id, stream, type: 'Counted', data: { by: `elsewhere-${id}` } });
      });
    const handler = createCommandHandler(store, counter);
    const writer = createCommandHandler(store, counter);
    let writing = true;
    const ownWrites = Array.from({ length: 8 }, async (_, w) => {
      for (let i = 0; writing; i++)
        await writer.handle(w % 2 ? `own-${w}` : `fact-${i % 4}`, { by: `here-${w}-${i}` }, metadata);
    });
    const missed: number[] = [];
    try {
      for (let id = 0; id < 200; id++) {
        const stream = `fact-${id % 4}`;
        await handler.load(stream);
        await appendElsewhere(id, stream);
        if (!(await handler.load(stream)).includes(`elsewhere-${id}`)) missed.push(id);
      }
    } finally {
      writing = false;
      await Promise.all(ownWrites);
      appender.send({ stop: true });
    }

    expect(missed).toEqual([]);
  }, 60_000);
});
