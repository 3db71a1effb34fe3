import { createTestClock } from '../helpers/testApp';
import {
  adminWrite,
  createChannel,
  gatedChannel,
  publishPost,
  startTestApp,
  type TestApp,
} from '../helpers/apiTestKit';

const ids = (response: { body: { data: { items: Array<{ id: string }> } } }) =>
  response.body.data.items.map((item) => item.id);

describe('Given channel 3 with posts 1, 2, 3 (three channels, then three posts in channel 3, through the admin API)', () => {
  const clock = createTestClock('2026-03-19T12:00:00.000Z');
  let server: TestApp;
  beforeAll(async () => {
    server = await startTestApp({ now: clock.now });
    for (let i = 0; i < 3; i++) await createChannel(server);
    for (let i = 0; i < 3; i++) await publishPost(server, 3, { type: 'TEXT', bodyText: `post ${i + 1}` });
  });
  afterAll(() => server.stop());

  it('When Case A: GET /api/mobile/channels/3/posts?after_id=0&limit=2, then items 1, 2, next_after_id "2", next_before_id "1", has_more true', async () => {
    const response = await server.request('GET', '/api/mobile/channels/3/posts?after_id=0&limit=2');
    expect(response.status).toBe(200);
    expect(ids(response)).toEqual(['1', '2']);
    expect(response.body.data.cursor.next_after_id).toBe('2');
    expect(response.body.data.cursor.next_before_id).toBe('1');
    expect(response.body.data.has_more).toBe(true);
  });

  it('When Case B: GET /api/mobile/channels/3/posts?before_id=4&limit=2, then items 3, 2, next_after_id "3", next_before_id "2", has_more true', async () => {
    const response = await server.request('GET', '/api/mobile/channels/3/posts?before_id=4&limit=2');
    expect(response.status).toBe(200);
    expect(ids(response)).toEqual(['3', '2']);
    expect(response.body.data.cursor.next_after_id).toBe('3');
    expect(response.body.data.cursor.next_before_id).toBe('2');
    expect(response.body.data.has_more).toBe(true);
  });

  it('When the catch-up window continues from next_after_id, then it gets post 3 and has_more false', async () => {
    const response = await server.request('GET', '/api/mobile/channels/3/posts?after_id=2&limit=2');
    expect(response.body.data).toMatchObject({
      limit: 2,
      count: 1,
      has_more: false,
      cursor: { next_after_id: '3', next_before_id: '3' },
    });
    expect(ids(response)).toEqual(['3']);
  });

  it('When the older scroll continues from next_before_id, then it gets post 1 and has_more false', async () => {
    const response = await server.request('GET', '/api/mobile/channels/3/posts?before_id=2&limit=2');
    expect(ids(response)).toEqual(['1']);
    expect(response.body.data.has_more).toBe(false);
  });

  it('When neither cursor is sent, then the newest posts come first (before_id mode from the top) with the default limit 20', async () => {
    const response = await server.request('GET', '/api/mobile/channels/3/posts');
    expect(ids(response)).toEqual(['3', '2', '1']);
    expect(response.body.data).toMatchObject({ limit: 20, count: 3, has_more: false });
  });

  it('When the spec template is sent with empty values, then empty means not given', async () => {
    const response = await server.request('GET', '/api/mobile/channels/3/posts?after_id=&before_id=&limit=');
    expect(response.status).toBe(200);
    expect(ids(response)).toEqual(['3', '2', '1']);
  });

  it('When a page is past the end, then it is empty with null cursors and has_more false', async () => {
    const response = await server.request('GET', '/api/mobile/channels/3/posts?after_id=3');
    expect(response.body.data).toEqual({
      items: [],
      cursor: { next_after_id: null, next_before_id: null },
      limit: 20,
      has_more: false,
      count: 0,
    });
  });

  it("When another channel is paged, then it sees none of channel 3's posts", async () => {
    const response = await server.request('GET', '/api/mobile/channels/2/posts?after_id=0');
    expect(response.body.data.items).toEqual([]);
  });

  it.each([
    ['both cursors', 'after_id=1&before_id=3'],
    ['a non-numeric after_id', 'after_id=abc'],
    ['a negative before_id', 'before_id=-1'],
    ['a fractional after_id', 'after_id=1.5'],
    ['a repeated after_id', 'after_id=1&after_id=2'],
    ['an id beyond 2^53', 'after_id=99999999999999999'],
    ['limit 0', 'limit=0'],
    ['limit 101', 'limit=101'],
    ['a non-numeric limit', 'limit=ten'],
  ])('When the query has %s, then 422 VALIDATION_ERROR', async (_label, query) => {
    const response = await server.request('GET', `/api/mobile/channels/3/posts?${query}`);
    expect(response.status).toBe(422);
    expect(response.body.code).toBe('VALIDATION_ERROR');
  });

  it('When the channel id is not numeric, then 400; when it does not exist, then 404', async () => {
    expect((await server.request('GET', '/api/mobile/channels/abc/posts')).status).toBe(400);
    const missing = await server.request('GET', '/api/mobile/channels/99/posts');
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe('NOT_FOUND');
  });

  it('When an anonymous caller pages a gated channel, then 403', async () => {
    const gated = await createChannel(server, gatedChannel);
    const response = await server.request('GET', `/api/mobile/channels/${gated}/posts`);
    expect(response.status).toBe(403);
    expect(response.body.details).toEqual({ reason: 'AUTHENTICATION_REQUIRED', isLocked: false });
  });
});

describe('Given a channel with 25 posts', () => {
  let server: TestApp;
  let channelId: number;
  beforeAll(async () => {
    server = await startTestApp();
    channelId = await createChannel(server);
    for (let i = 0; i < 25; i++) await publishPost(server, channelId);
  });
  afterAll(() => server.stop());

  it('When paged with the default limit, then 20 come back and has_more is true; limit 100 returns all 25', async () => {
    const first = await server.request('GET', `/api/mobile/channels/${channelId}/posts?after_id=0`);
    expect(first.body.data).toMatchObject({
      count: 20,
      limit: 20,
      has_more: true,
      cursor: { next_after_id: '20', next_before_id: '1' },
    });
    const all = await server.request('GET', `/api/mobile/channels/${channelId}/posts?after_id=0&limit=100`);
    expect(all.body.data).toMatchObject({ count: 25, has_more: false });
  });

  it('When paging forward then backward through every page, then each post is seen exactly once per direction', async () => {
    const forward: string[] = [];
    let after = '0';
    for (;;) {
      const page = await server.request('GET', `/api/mobile/channels/${channelId}/posts?after_id=${after}&limit=7`);
      forward.push(...ids(page));
      if (!page.body.data.has_more) break;
      after = page.body.data.cursor.next_after_id;
    }
    const backward: string[] = [];
    let before = '26';
    for (;;) {
      const page = await server.request('GET', `/api/mobile/channels/${channelId}/posts?before_id=${before}&limit=7`);
      backward.push(...ids(page));
      if (!page.body.data.has_more) break;
      before = page.body.data.cursor.next_before_id;
    }
    const expected = Array.from({ length: 25 }, (_, index) => String(index + 1));
    expect(forward).toEqual(expected);
    expect(backward).toEqual([...expected].reverse());
  });

  it('When a post is deleted, then paging still returns it as a tombstone with its content blanked', async () => {
    await adminWrite(server, 'DELETE', '/api/admin/posts/5');
    const response = await server.request('GET', `/api/mobile/channels/${channelId}/posts?after_id=4&limit=1`);
    expect(response.body.data.items[0]).toMatchObject({
      id: '5',
      isDeleted: true,
      bodyText: null,
      linkUrl: null,
      chartPayloadJson: null,
      attachments: [],
    });
    expect(response.body.data.items[0].deletedAt).toEqual(expect.any(String));
  });
});
