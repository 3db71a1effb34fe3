import { ApiError, createClient, NetworkError, type CreateChannelBody } from '../../client/src';
import { adminToken } from '../helpers/apiTestKit';
import { startTestApp, type TestApp } from '../helpers/testApp';

const channel: CreateChannelBody = { kind: 'BROADCAST', accessPolicy: 'OPEN', visibility: 'PUBLIC', title: 'Signals' };

describe('Given the SDK REST side on the real server', () => {
  let server: TestApp;
  beforeAll(async () => {
    server = await startTestApp();
  });
  afterAll(() => server.stop());

  const postsInLog = async (channelId: number) =>
    (await server.app.eventStore.readStream(`channel-${channelId}`)).filter((event) => event.type === 'PostPublished');

  it('When the answer to a write is lost on the way back, then the SDK retries with the same Idempotency-Key and returns the original answer, and the log holds one post', async () => {
    const admin = createClient({ baseUrl: server.url, getToken: () => adminToken });
    const channelId = (await admin.admin.createChannel(channel)).data.id;
    const keys: string[] = [];
    let dropped = 0;
    const flaky = createClient({
      baseUrl: server.url,
      getToken: () => adminToken,
      backoff: { firstMs: 10, maxMs: 10 },
      fetch: async (input, init) => {
        keys.push(new Headers(init?.headers).get('idempotency-key') ?? '');
        const response = await fetch(input, init);
        // The server committed and answered; the app never hears of it.
        if (dropped++ === 0) throw new TypeError('network connection lost');
        return response;
      },
    });

    const published = await flaky.admin.publishPost(channelId, { type: 'TEXT', bodyText: 'once' });

    expect(keys).toHaveLength(2);
    expect(keys[1]).toBe(keys[0]);
    const inLog = await postsInLog(channelId);
    expect(inLog).toHaveLength(1);
    expect(published.data.id).toBe(String((inLog[0].data as { postId: number }).postId));
  });

  it('When the server refuses a request, then the SDK throws an ApiError carrying status, code and details', async () => {
    const admin = createClient({ baseUrl: server.url, getToken: () => adminToken });
    const refused = await admin.admin.createChannel({ ...channel, title: '' }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ApiError);
    expect(refused).toMatchObject({ status: 422, code: 'VALIDATION_ERROR', details: expect.any(Array) });
  });

  it('When nothing answers, then after its attempts the SDK throws a NetworkError', async () => {
    const offline = createClient({ baseUrl: 'http://127.0.0.1:9', attempts: 2, backoff: { firstMs: 1, maxMs: 1 } });
    await expect(offline.mobile.listChannels()).rejects.toBeInstanceOf(NetworkError);
  });

  it('When the app pages with the async iterators, then every post comes once, in cursor order both ways', async () => {
    const admin = createClient({ baseUrl: server.url, getToken: () => adminToken });
    const channelId = (await admin.admin.createChannel(channel)).data.id;
    const ids: string[] = [];
    for (let i = 0; i < 5; i += 1)
      ids.push((await admin.admin.publishPost(channelId, { type: 'TEXT', bodyText: `${i}` })).data.id);

    const forwards: string[] = [];
    for await (const post of admin.paging.postsAfter(channelId, 0, 2)) forwards.push(post.id);
    const backwards: string[] = [];
    for await (const post of admin.paging.postsBefore(channelId, undefined, 2)) backwards.push(post.id);
    const channels: number[] = [];
    for await (const item of admin.paging.channels({ limit: 1 })) channels.push(item.id);

    expect(forwards).toEqual(ids);
    expect(backwards).toEqual([...ids].reverse());
    expect(channels).toContain(channelId);
    expect(new Set(channels).size).toBe(channels.length);
  });
});
