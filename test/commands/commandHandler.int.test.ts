import { v7 as uuidv7 } from 'uuid';
import { channelDecider } from '../../src/commands/channel/channelDecider';
import { createCommandHandler } from '../../src/commands/commandHandler';
import { createSqliteEventStore } from '../../src/eventStore/sqlite';

const metadata = { actor: { type: 'admin' as const, id: 'admin-1' }, correlationId: 'c', causationId: 'c' };
const now = '2026-03-19T12:00:00.000Z';

describe('Given one process and a hot channel stream', () => {
  it('When 60 posts arrive at once, then all are appended in id order without exhausting retries', async () => {
    const store = createSqliteEventStore({ path: ':memory:' });
    const handler = createCommandHandler(store, channelDecider, { maxAttempts: 3 });
    await handler.handle(
      'channel-1',
      {
        type: 'CreateChannel',
        data: {
          channelId: 1,
          kind: 'BROADCAST',
          accessPolicy: 'OPEN',
          visibility: 'PUBLIC',
          title: 't',
          description: null,
          entitlementKey: null,
          adminId: 'a',
          now,
        },
      },
      metadata,
    );
    await Promise.all(
      Array.from({ length: 60 }, () =>
        handler.handle(
          'channel-1',
          (state) => ({
            type: 'PublishPost',
            data: {
              postId: (state.exists ? state.lastPostId : 0) + 1,
              type: 'TEXT',
              bodyText: 'x',
              linkUrl: null,
              chartPayloadJson: null,
              attachments: [],
              adminId: 'a',
              now,
            },
          }),
          metadata,
        ),
      ),
    );
    const ids = (await store.readStream('channel-1'))
      .slice(1)
      .map((event) => (event.data as { postId: number }).postId);
    expect(ids).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
    await store.close();
  });

  it('When another writer appended behind the cache, then the next command catches up from the cached revision', async () => {
    const store = createSqliteEventStore({ path: ':memory:' });
    const first = createCommandHandler(store, channelDecider);
    const second = createCommandHandler(store, channelDecider);
    const create = {
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
    await first.handle('channel-1', create, metadata);
    await second.handle(
      'channel-1',
      { type: 'UpdateChannel', data: { changes: { title: 'from second' }, adminId: 'a', now } },
      metadata,
    );
    const result = await first.handle(
      'channel-1',
      { type: 'UpdateChannel', data: { changes: { description: 'd' }, adminId: 'a', now } },
      metadata,
    );
    expect(result.state).toMatchObject({ title: 'from second', description: 'd' });
    expect((await store.readStream('channel-1')).map((event) => event.revision)).toEqual([0n, 1n, 2n]);
    await store.close();
  });

  it('When the cached states hold more events than the cache allows, then the least recently used is dropped and reloaded from its start', async () => {
    const store = createSqliteEventStore({ path: ':memory:' });
    const reads: Array<[string, bigint | undefined]> = [];
    const observed = {
      ...store,
      readStream: (name: string, options?: { fromRevision?: bigint }) => {
        reads.push([name, options?.fromRevision]);
        return store.readStream(name, options);
      },
    };
    const handler = createCommandHandler(observed, channelDecider, { cacheEvents: 8 });
    const createAndPublish = async (channelId: number, posts: number) => {
      const create = {
        type: 'CreateChannel' as const,
        data: {
          channelId,
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
      await handler.handle(`channel-${channelId}`, create, metadata);
      for (let postId = 1; postId <= posts; postId++) {
        const post = {
          postId,
          type: 'TEXT' as const,
          bodyText: 'x',
          linkUrl: null,
          chartPayloadJson: null,
          attachments: [],
          adminId: 'a',
          now,
        };
        await handler.handle(`channel-${channelId}`, { type: 'PublishPost', data: post }, metadata);
      }
    };
    await createAndPublish(1, 4); // 5 events
    await createAndPublish(2, 4); // 5 more: 10 > 8, channel-1 goes
    reads.length = 0;
    expect((await handler.load('channel-2')) as { lastPostId: number }).toMatchObject({ lastPostId: 4 });
    expect((await handler.load('channel-1')) as { lastPostId: number }).toMatchObject({ lastPostId: 4 });
    // channel-2 is cached and the store tells nothing reached it since: no read at all.
    expect(reads).toEqual([['channel-1', 0n]]);
    await store.close();
  });
});

describe('Given a stream that writers in other processes keep appending to', () => {
  type Added = { type: 'Added'; data: { by: string } };
  const counter = {
    decide: (_command: 'add', _state: number): Added[] => [{ type: 'Added', data: { by: 'us' } }],
    evolve: (state: number) => state + 1,
    initialState: () => 0,
  };

  it('When our append loses three times in a row, then the first retry is immediate and the later ones wait, growing', async () => {
    const store = createSqliteEventStore({ path: ':memory:' });
    let peerWins = 3;
    const racedStore = {
      ...store,
      appendToStream: async (...args: Parameters<typeof store.appendToStream>) => {
        if (peerWins-- > 0) {
          const peer = { id: uuidv7(), type: 'Added', data: { by: 'peer' }, metadata };
          await store.appendToStream(args[0], [peer], { expectedRevision: 'any' });
        }
        return store.appendToStream(...args);
      },
    };
    const waits: number[] = [];
    const handler = createCommandHandler(racedStore, counter, {
      conflictBackoff: async (conflicts) => waits.push(conflicts),
    });

    const result = await handler.handle('counter-1', 'add', metadata);

    expect(result.state).toBe(4);
    expect(waits).toEqual([1, 2]);
    await store.close();
  });
});
