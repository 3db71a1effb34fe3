import { channelDecider } from '../../src/commands/channel/channelDecider';
import { createCommandHandler } from '../../src/commands/commandHandler';
import type { EventStore, ExpectedRevision } from '../../src/eventStore/eventStore';
import { createSqliteEventStore } from '../../src/eventStore/sqlite';

const metadata = { actor: { type: 'admin' as const, id: 'admin-1' }, correlationId: 'c', causationId: 'c' };
const now = '2026-03-19T12:00:00.000Z';
const createChannel = {
  type: 'CreateChannel' as const,
  data: {
    channelId: 1,
    kind: 'BROADCAST' as const,
    accessPolicy: 'OPEN' as const,
    visibility: 'PUBLIC' as const,
    title: 't',
    description: null,
    entitlementKey: null,
    adminId: 'a',
    now,
  },
};
const nextPost = (state: { exists: boolean; lastPostId?: number }) => ({
  type: 'PublishPost' as const,
  data: {
    postId: (state.exists ? (state.lastPostId ?? 0) : 0) + 1,
    type: 'TEXT' as const,
    bodyText: 'x',
    linkUrl: null,
    chartPayloadJson: null,
    attachments: [],
    adminId: 'a',
    now,
  },
});

/** The real SQLite store; appends wait at a gate (an fsync that takes long) until released. */
const gatedStore = (store: EventStore) => {
  const issued: ExpectedRevision[] = [];
  const chainedTo: Array<string | undefined> = [];
  const lastIds: string[] = [];
  let gate: Promise<void> = Promise.resolve();
  let open = () => undefined as void;
  const gated: EventStore = {
    ...store,
    appendToStream: async (streamName, events, options) => {
      issued.push(options?.expectedRevision ?? 'any');
      chainedTo.push(options?.expectedLastEventId);
      lastIds.push(events[events.length - 1].id);
      await gate;
      return store.appendToStream(streamName, events, options);
    },
  };
  return {
    gated,
    issued,
    chainedTo,
    lastIds,
    close: () => {
      gate = new Promise<void>((resolve) => (open = resolve));
    },
    open: () => open(),
  };
};

const postIds = async (store: EventStore) =>
  (await store.readStream('channel-1')).slice(1).map((event) => (event.data as { postId: number }).postId);

describe('Given a command handler whose appends take a while to become durable', () => {
  it('When a second command on the stream arrives while the first append is in flight, then it is decided on that append and chained to it by its last event id', async () => {
    const store = createSqliteEventStore({ path: ':memory:' });
    const slow = gatedStore(store);
    const handler = createCommandHandler(slow.gated, channelDecider);
    await handler.handle('channel-1', createChannel, metadata);
    slow.close();
    const first = handler.handle('channel-1', nextPost, metadata);
    const second = handler.handle('channel-1', nextPost, metadata);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(slow.issued).toEqual(['no_stream', 0n, 1n]);
    expect(slow.chainedTo[2]).toBe(slow.lastIds[1]);
    slow.open();
    const results = await Promise.all([first, second]);
    expect(results.map((result) => result.position)).toEqual([2n, 3n]);
    expect(await postIds(store)).toEqual([1, 2]);
    await store.close();
  });

  it('When the store cannot check the last event id, then a second command decides only once the first append is durable', async () => {
    const store = createSqliteEventStore({ path: ':memory:' });
    const slow = gatedStore({ ...store, checksLastEventId: false });
    const handler = createCommandHandler(slow.gated, channelDecider);
    await handler.handle('channel-1', createChannel, metadata);
    slow.close();
    const first = handler.handle('channel-1', nextPost, metadata);
    const second = handler.handle('channel-1', nextPost, metadata);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(slow.issued).toEqual(['no_stream', 0n]);
    slow.open();
    const results = await Promise.all([first, second]);
    expect(slow.issued).toEqual(['no_stream', 0n, 1n]);
    expect(slow.chainedTo).toEqual([undefined, undefined, undefined]);
    expect(results.map((result) => result.position)).toEqual([2n, 3n]);
    expect(await postIds(store)).toEqual([1, 2]);
    await store.close();
  });

  it('When an append in flight fails (another writer got there first), then the command decided on it is decided again on the committed stream', async () => {
    const store = createSqliteEventStore({ path: ':memory:' });
    const slow = gatedStore(store);
    const handler = createCommandHandler(slow.gated, channelDecider);
    const otherProcess = createCommandHandler(store, channelDecider);
    await handler.handle('channel-1', createChannel, metadata);
    slow.close();
    const first = handler.handle('channel-1', nextPost, metadata);
    const second = handler.handle('channel-1', nextPost, metadata);
    await new Promise((resolve) => setTimeout(resolve, 20));
    await otherProcess.handle('channel-1', nextPost, metadata);
    slow.open();
    const results = await Promise.all([first, second]);
    expect(await postIds(store)).toEqual([1, 2, 3]);
    // Both were decided again; which of the two went first is not specified.
    expect(results.map((result) => result.position).sort()).toEqual([3n, 4n]);
    await store.close();
  });

  it('When the append a second command was decided on fails and another writer took its revision, then the second is not appended on top of the other writer’s event', async () => {
    const store = createSqliteEventStore({ path: ':memory:' });
    const slow = gatedStore(store);
    const handler = createCommandHandler(slow.gated, channelDecider);
    await handler.handle('channel-1', createChannel, metadata);
    slow.close();
    const first = handler.handle('channel-1', nextPost, metadata);
    const second = handler.handle('channel-1', nextPost, metadata);
    await new Promise((resolve) => setTimeout(resolve, 20));
    // Another process, holding a higher block of ids, publishes post 7 at the revision the first command expected to write.
    const otherPost = nextPost({ exists: true, lastPostId: 6 });
    await store.appendToStream(
      'channel-1',
      [
        {
          id: '018f0000-0000-7000-8000-000000000007',
          type: 'PostPublished',
          data: { channelId: 1, ...otherPost.data },
          metadata,
        },
      ],
      { expectedRevision: 0n },
    );
    slow.open();
    await Promise.all([first, second]);
    const ids = await postIds(store);
    expect(ids[0]).toBe(7);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(new Set(ids).size).toBe(3);
    await store.close();
  });
});
