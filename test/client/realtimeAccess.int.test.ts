import {
  ApiError,
  createClient,
  type CreateChannelBody,
  type MessageEvent,
  type MessagesReset,
} from '../../client/src';
import { adminToken, publishPost, serviceToken } from '../helpers/apiTestKit';
import { signToken, startTestApp, type TestApp } from '../helpers/testApp';
import { clientFor, waitUntil, watchPosts } from './clientTestKit';

const openChannel: CreateChannelBody = { kind: 'BROADCAST', accessPolicy: 'OPEN', visibility: 'PUBLIC', title: 'Open' };
const gatedChannel: CreateChannelBody = { ...openChannel, accessPolicy: 'EXTERNAL_GATED', entitlementKey: 'vip' };

describe('Given an app whose token expires or whose access ends while it follows rooms', () => {
  let server: TestApp;
  let admin: ReturnType<typeof createClient>;
  const clients: Array<{ close: () => void }> = [];

  beforeAll(async () => {
    server = await startTestApp();
    admin = createClient({ baseUrl: server.url, getToken: () => adminToken });
  });
  afterEach(() => clients.splice(0).forEach((client) => client.close()));
  afterAll(() => server.stop());

  it('When the socket token expires, then the SDK fetches a fresh one, resumes from its cursor and the app sees every post once, without a reset', async () => {
    const channelId = (await admin.admin.createChannel(openChannel)).data.id;
    const refreshes: boolean[] = [];
    let issued = 0;
    const client = clientFor(server.url, {
      getToken: ({ forceRefresh }) => {
        refreshes.push(forceRefresh);
        issued += 1;
        // The very first token (the socket's) lives two seconds; every later one an hour.
        return signToken('app-user', 'user', issued === 1 ? 2 : 3600);
      },
    });
    clients.push(client);
    const watched = watchPosts(client, channelId);
    await watched.subscription.ready;
    const written = [(await publishPost(server, channelId)).id];
    let disconnects = 0;
    client.realtime.socket.on('disconnect', () => (disconnects += 1));

    await waitUntil(() => disconnects > 0, 'the server to hang up at the token expiry');
    written.push((await publishPost(server, channelId)).id);
    await waitUntil(() => refreshes.includes(true) && client.realtime.socket.connected, 'the reconnect');
    written.push((await publishPost(server, channelId)).id);
    await waitUntil(() => watched.postIds().length >= 3, 'every post');

    expect(watched.postIds()).toEqual(written);
    expect(watched.resets.map((reset) => reset.reason)).toEqual(['INITIAL']);
  }, 20_000);

  it('When the socket token is refused with UNAUTHORIZED, then the SDK reconnects with a fresh one and the subscription goes on', async () => {
    const channelId = (await admin.admin.createChannel(openChannel)).data.id;
    const asked: boolean[] = [];
    const client = clientFor(server.url, {
      getToken: ({ forceRefresh }) => {
        asked.push(forceRefresh);
        return forceRefresh ? signToken('app-user') : 'not-a-jwt';
      },
    });
    clients.push(client);
    const watched = watchPosts(client, channelId);
    await watched.subscription.ready;
    const written = (await publishPost(server, channelId)).id;
    await waitUntil(() => watched.postIds().length === 1, 'the post');

    expect(watched.postIds()).toEqual([written]);
    expect(asked).toContain(true);
  });

  it('When a REST call meets an expired token, then the SDK asks for a fresh one and the call succeeds', async () => {
    const channelId = (await admin.admin.createChannel(openChannel)).data.id;
    const asked: boolean[] = [];
    const client = createClient({
      baseUrl: server.url,
      getToken: ({ forceRefresh }) => {
        asked.push(forceRefresh);
        return forceRefresh ? signToken('app-user') : signToken('app-user', 'user', -10);
      },
    });
    const joined = await client.mobile.joinChannel(channelId);
    expect(joined.data).toMatchObject({ channelId, isJoined: true });
    expect(asked).toEqual([false, true]);
  });

  it('When the user loses the entitlement of a gated channel, then the eviction reaches the reset handler with its reason and the event stream ends', async () => {
    const channelId = (await admin.admin.createChannel(gatedChannel)).data.id;
    const service = createClient({ baseUrl: server.url, getToken: () => serviceToken });
    await service.admin.grantEntitlement('app-user', 'vip');
    const client = clientFor(server.url);
    clients.push(client);
    const watched = watchPosts(client, channelId);
    await watched.subscription.ready;
    const consumed: string[] = [];
    const iteration = (async () => {
      for await (const event of watched.subscription) consumed.push(event.eventId);
    })();
    await publishPost(server, channelId);
    await waitUntil(() => consumed.length === 1, 'the post before the revoke');

    await service.admin.revokeEntitlement('app-user', 'vip');
    await waitUntil(() => watched.resets.length === 2, 'the eviction');
    await iteration;

    const eviction = watched.resets[1];
    expect(eviction).toMatchObject({ reason: 'ACCESS_REVOKED', detail: 'ENTITLEMENT_REQUIRED' });
    expect(eviction.error).toBeInstanceOf(ApiError);
    expect(eviction.error).toMatchObject({ status: 403, code: 'FORBIDDEN' });
  });

  it('When the app follows a discussion, then its messages arrive typed and in order, after the first page came over REST', async () => {
    const channelId = (await admin.admin.createChannel(openChannel)).data.id;
    await admin.admin.putDiscussion(channelId, { title: 'Talk', isEnabled: true });
    const client = clientFor(server.url);
    clients.push(client);
    const events: MessageEvent[] = [];
    const resets: MessagesReset[] = [];
    const subscription = client.realtime.subscribeDiscussion(channelId, {
      onEvent: (event) => events.push(event),
      onReset: (reset) => {
        resets.push(reset);
      },
    });
    await subscription.ready;
    const first = await client.mobile.postMessage(channelId, { body: 'first' });
    const second = await admin.admin.postAdminMessage(channelId, { body: 'second' });
    await waitUntil(() => events.length === 2, 'both messages');

    expect(resets.map((reset) => reset.reason)).toEqual(['INITIAL']);
    expect(resets[0].page?.items).toEqual([]);
    expect(events.map((event) => [event.eventType, event.data.id])).toEqual([
      ['communication.discussion_message.created', first.data.id],
      ['communication.discussion_message.created', second.data.id],
    ]);
  });
});
