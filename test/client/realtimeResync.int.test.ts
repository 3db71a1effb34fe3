import { v7 as uuidv7 } from 'uuid';
import { createMemoryCursorStore } from '../../client/src';
import { createChannel, publishPost } from '../helpers/apiTestKit';
import { startTestApp, type TestApp } from '../helpers/testApp';
import { clientFor, waitUntil, watchPosts } from './clientTestKit';

describe('Given an app following a channel through the SDK on the real server', () => {
  let server: TestApp;
  const clients: Array<{ close: () => void }> = [];
  const track = <T extends { close: () => void }>(client: T) => (clients.push(client), client);
  const publishSome = async (channelId: number, count: number) => {
    const ids: string[] = [];
    for (let i = 0; i < count; i += 1) ids.push((await publishPost(server, channelId)).id);
    return ids;
  };

  beforeEach(async () => {
    server = await startTestApp();
  });
  afterEach(async () => {
    clients.splice(0).forEach((client) => client.close());
    await server.stop();
  });

  it('When the transport drops and posts are written while the client is away, then the app gets every post exactly once and in order, without a reset', async () => {
    const channelId = await createChannel(server);
    const client = track(clientFor(server.url));
    const watched = watchPosts(client, channelId);
    await watched.subscription.ready;
    const live = await publishSome(channelId, 2);
    await waitUntil(() => watched.postIds().length === 2, 'the live posts');

    client.realtime.socket.io.engine.close();
    await waitUntil(() => !client.realtime.socket.connected, 'the disconnect');
    const missed = await publishSome(channelId, 3);
    expect(client.realtime.socket.connected).toBe(false);
    await waitUntil(() => watched.postIds().length >= 5, 'the missed posts');
    const after = await publishSome(channelId, 1);
    await waitUntil(() => watched.postIds().length >= 6, 'the post after the reconnect');

    expect(watched.postIds()).toEqual([...live, ...missed, ...after]);
    expect(watched.resets.map((reset) => reset.reason)).toEqual(['INITIAL']);
  });

  it('When the server restarts and posts are written before the client is back, then they arrive exactly once and in order', async () => {
    const channelId = await createChannel(server);
    const client = track(clientFor(server.url));
    const watched = watchPosts(client, channelId);
    await watched.subscription.ready;
    const before = await publishSome(channelId, 2);
    await waitUntil(() => watched.postIds().length === 2, 'the posts before the restart');

    const port = new URL(server.url).port;
    await server.stop();
    server = await startTestApp({ dataDir: server.config.dataDir, env: { PORT: port } });
    const missed = await publishSome(channelId, 3);
    await waitUntil(() => watched.postIds().length >= 5, 'the posts written during the restart');

    expect(watched.postIds()).toEqual([...before, ...missed]);
    expect(watched.resets.map((reset) => reset.reason)).toEqual(['INITIAL']);
  });

  it('When the app restarts with its persisted cursors, then it resumes with exactly the posts it missed', async () => {
    const channelId = await createChannel(server);
    const cursors = createMemoryCursorStore();
    const first = track(clientFor(server.url, { cursors }));
    const watchedFirst = watchPosts(first, channelId);
    await watchedFirst.subscription.ready;
    await publishSome(channelId, 1);
    await waitUntil(() => watchedFirst.postIds().length === 1, 'the first post');
    first.close();

    const missed = await publishSome(channelId, 2);
    const persisted = createMemoryCursorStore(cursors.snapshot());
    const second = track(clientFor(server.url, { cursors: persisted }));
    const watched = watchPosts(second, channelId);
    await watched.subscription.ready;
    await waitUntil(() => watched.postIds().length >= 2, 'the missed posts');

    expect(watched.postIds()).toEqual(missed);
    expect(watched.resets).toEqual([]);
  });

  it('When the stored cursor is unknown to the server, then the reset handler gets the reason and a first page refetched over REST, and live posts follow', async () => {
    const channelId = await createChannel(server);
    const existing = await publishSome(channelId, 3);
    const cursors = createMemoryCursorStore({ [`channel:${channelId}:channelPosts`]: uuidv7() });
    const client = track(clientFor(server.url, { cursors }));
    const watched = watchPosts(client, channelId);
    await watched.subscription.ready;

    expect(watched.resets).toHaveLength(1);
    expect(watched.resets[0].reason).toBe('UNKNOWN_EVENT_ID');
    expect(watched.resets[0].page?.items.map((post) => post.id)).toEqual([...existing].reverse());
    const next = await publishSome(channelId, 1);
    await waitUntil(() => watched.postIds().length === 1, 'the next live post');
    expect(watched.postIds()).toEqual(next);
  });
});
