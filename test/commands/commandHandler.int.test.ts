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
      { type: 'CreateChannel', data: { channelId: 1, kind: 'BROADCAST', accessPolicy: 'OPEN', visibility: 'PUBLIC', title: 't', description: null, entitlementKey: null, adminId: 'a', now } },
      metadata,
    );
    await Promise.all(
      Array.from({ length: 60 }, () =>
        handler.handle(
          'channel-1',
          (state) => ({
            type: 'PublishPost',
            data: { postId: (state.exists ? state.lastPostId : 0) + 1, type: 'TEXT', bodyText: 'x', linkUrl: null, chartPayloadJson: null, attachments: [], adminId: 'a', now },
          }),
          metadata,
        ),
      ),
    );
    const ids = (await store.readStream('channel-1')).slice(1).map((event) => (event.data as { postId: number }).postId);
    expect(ids).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
    await store.close();
  });

  it('When another writer appended behind the cache, then the next command catches up from the cached revision', async () => {
    const store = createSqliteEventStore({ path: ':memory:' });
    const first = createCommandHandler(store, channelDecider);
    const second = createCommandHandler(store, channelDecider);
    const create = { type: 'CreateChannel' as const, data: { channelId: 1, kind: 'BROADCAST' as const, accessPolicy: 'OPEN' as const, visibility: 'PUBLIC' as const, title: 't', description: null, entitlementKey: null, adminId: 'a', now } };
    await first.handle('channel-1', create, metadata);
    await second.handle('channel-1', { type: 'UpdateChannel', data: { changes: { title: 'from second' }, adminId: 'a', now } }, metadata);
    const result = await first.handle('channel-1', { type: 'UpdateChannel', data: { changes: { description: 'd' }, adminId: 'a', now } }, metadata);
    expect(result.state).toMatchObject({ title: 'from second', description: 'd' });
    expect((await store.readStream('channel-1')).map((event) => event.revision)).toEqual([0n, 1n, 2n]);
    await store.close();
  });
});
