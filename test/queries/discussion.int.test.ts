import { createTestClock } from '../helpers/testApp';
import {
  ADMIN_ID,
  adminWrite,
  createChannel,
  grant,
  startTestApp,
  userToken,
  type TestApp,
} from '../helpers/apiTestKit';

const settings = {
  title: 'VIP Signals Discussion',
  isEnabled: true,
  requiredFeatureKey: 'chat.discussion',
  slowModeEnabled: false,
  slowModeIntervalSeconds: null,
};

describe('Given a channel whose discussion requires the chat.discussion feature', () => {
  const clock = createTestClock('2026-03-16T10:00:00.000Z');
  let server: TestApp;
  let channelId: number;
  let bare: number;
  const get = (path: string, userId = 'alice') => server.request('GET', path, { token: userToken(userId) });
  const post = async (userId: string, body: string) => {
    const response = await server.request('POST', `/api/mobile/channels/${channelId}/discussion/messages`, {
      token: userToken(userId),
      body: { body },
    });
    if (response.status >= 300)
      throw new Error(`post message failed: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body.data.id as number;
  };

  beforeAll(async () => {
    server = await startTestApp({ now: clock.now });
    channelId = await createChannel(server);
    bare = await createChannel(server);
    await adminWrite(server, 'PUT', `/api/admin/channels/${channelId}/discussion`, settings);
    await grant(server, 'alice', 'features', 'chat.discussion');
  });
  afterAll(() => server.stop());

  it('When a user with the feature GETs the discussion, then it has exactly the spec fields', async () => {
    const response = await get(`/api/mobile/channels/${channelId}/discussion`);
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      message: 'Channel discussion fetched successfully',
      data: {
        id: expect.any(Number),
        channelId,
        ...settings,
        createdByAdminId: ADMIN_ID,
        createdAt: '2026-03-16T10:00:00.000Z',
        updatedAt: '2026-03-16T10:00:00.000Z',
      },
    });
  });

  it('When there is no token, then 401; no feature, then 403 FEATURE_REQUIRED; no discussion or no channel, then 404', async () => {
    expect((await server.request('GET', `/api/mobile/channels/${channelId}/discussion`)).status).toBe(401);
    const noFeature = await get(`/api/mobile/channels/${channelId}/discussion`, 'bob');
    expect(noFeature.status).toBe(403);
    expect(noFeature.body.details).toMatchObject({ reason: 'FEATURE_REQUIRED' });
    expect((await get(`/api/mobile/channels/${channelId}/discussion/messages`, 'bob')).status).toBe(403);
    expect((await get(`/api/mobile/channels/${bare}/discussion`)).status).toBe(404);
    expect((await get('/api/mobile/channels/999/discussion')).status).toBe(404);
    expect((await get('/api/mobile/channels/x/discussion')).status).toBe(400);
  });

  it('When an admin and a user post, then the full view lists them newest first with exactly the spec fields', async () => {
    clock.set('2026-03-16T10:05:00.000Z');
    await adminWrite(server, 'POST', `/api/admin/channels/${channelId}/discussion/messages`, {
      body: 'Wait for confirmation above resistance before entering.',
    });
    clock.set('2026-03-16T10:06:00.000Z');
    const mine = await post('alice', 'I am waiting for candle confirmation before entry.');
    const response = await get(`/api/mobile/channels/${channelId}/discussion/messages`);
    expect(response.status).toBe(200);
    expect(response.body.message).toBe('Channel discussion messages fetched successfully');
    const [first, second] = response.body.data.items;
    expect(first).toEqual({
      id: mine,
      discussionId: expect.any(Number),
      authorType: 'USER',
      authorUserId: 'alice',
      authorAdminId: null,
      body: 'I am waiting for candle confirmation before entry.',
      isDeleted: false,
      deletedAt: null,
      deletedByAdminId: null,
      editedAt: null,
      editedByUserId: null,
      editedByAdminId: null,
      createdAt: '2026-03-16T10:06:00.000Z',
      updatedAt: '2026-03-16T10:06:00.000Z',
    });
    expect(second).toMatchObject({ authorType: 'ADMIN', authorUserId: null, authorAdminId: ADMIN_ID });
    expect(second.id).toBeLessThan(first.id);
    expect(response.body.data).toMatchObject({ cursor: {}, limit: 20, has_more: false, count: 2 });
  });

  it('When view=compact, then each item has exactly id, authorType, authorUserId, authorAdminId, body, isDeleted, createdAt', async () => {
    const response = await get(`/api/mobile/channels/${channelId}/discussion/messages?view=compact`);
    expect(Object.keys(response.body.data.items[0]).sort()).toEqual(
      ['id', 'authorType', 'authorUserId', 'authorAdminId', 'body', 'isDeleted', 'createdAt'].sort(),
    );
    expect(response.body.data.items[1]).toEqual({
      id: expect.any(Number),
      authorType: 'ADMIN',
      authorUserId: null,
      authorAdminId: ADMIN_ID,
      body: 'Wait for confirmation above resistance before entering.',
      isDeleted: false,
      createdAt: '2026-03-16T10:05:00.000Z',
    });
  });

  it('When paging with before_id and limit 2, then older pages follow next_before_id until has_more is false', async () => {
    for (let i = 0; i < 3; i++) {
      clock.advance(60_000);
      await post('alice', `msg ${i}`);
    }
    const seen: number[] = [];
    let query = '?limit=2';
    for (;;) {
      const page = await get(`/api/mobile/channels/${channelId}/discussion/messages${query}`);
      seen.push(...page.body.data.items.map((item: { id: number }) => item.id));
      if (!page.body.data.has_more) {
        expect(page.body.data.cursor).toEqual({});
        break;
      }
      query = `?limit=2&before_id=${page.body.data.cursor.next_before_id}`;
    }
    expect(seen).toHaveLength(5);
    expect([...seen].sort((a, b) => b - a)).toEqual(seen);
  });

  it('When a user deletes their own message, then it stays as a tombstone with the body blanked', async () => {
    const doomed = await post('alice', 'oops');
    const deleted = await server.request('DELETE', `/api/mobile/discussion-messages/${doomed}`, {
      token: userToken('alice'),
    });
    expect(deleted.status).toBeLessThan(300);
    const response = await get(`/api/mobile/channels/${channelId}/discussion/messages?limit=1`);
    expect(response.body.data.items[0]).toMatchObject({ id: doomed, isDeleted: true, body: '' });
    expect(response.body.data.items[0].deletedAt).toEqual(expect.any(String));
  });

  it('When the query is malformed, then 422', async () => {
    expect((await get(`/api/mobile/channels/${channelId}/discussion/messages?view=tiny`)).status).toBe(422);
    expect((await get(`/api/mobile/channels/${channelId}/discussion/messages?before_id=x`)).status).toBe(422);
    expect((await get(`/api/mobile/channels/${channelId}/discussion/messages?limit=101`)).status).toBe(422);
  });

  it('When the user is banned, then 403 BANNED; unbanned, then 200 again', async () => {
    await adminWrite(server, 'PUT', `/api/admin/channels/${channelId}/discussion/bans/alice`, { reason: 'spam' });
    const banned = await get(`/api/mobile/channels/${channelId}/discussion/messages`);
    expect(banned.status).toBe(403);
    expect(banned.body.details).toMatchObject({ reason: 'BANNED' });
    await adminWrite(server, 'DELETE', `/api/admin/channels/${channelId}/discussion/bans/alice`);
    expect((await get(`/api/mobile/channels/${channelId}/discussion`)).status).toBe(200);
  });

  it('When the admin disables the discussion, then it is still described (isEnabled false) but its messages are 403 DISCUSSION_DISABLED', async () => {
    await adminWrite(server, 'PUT', `/api/admin/channels/${channelId}/discussion`, { ...settings, isEnabled: false });
    const described = await get(`/api/mobile/channels/${channelId}/discussion`);
    expect(described.status).toBe(200);
    expect(described.body.data).toMatchObject({ channelId, isEnabled: false });
    const messages = await get(`/api/mobile/channels/${channelId}/discussion/messages`);
    expect(messages.status).toBe(403);
    expect(messages.body.details).toMatchObject({ reason: 'DISCUSSION_DISABLED' });
  });

  it('When the discussion is disabled and the user is banned, then even its description is 403 BANNED', async () => {
    await adminWrite(server, 'PUT', `/api/admin/channels/${channelId}/discussion`, { ...settings, isEnabled: false });
    await adminWrite(server, 'PUT', `/api/admin/channels/${channelId}/discussion/bans/alice`, { reason: 'spam' });
    const described = await get(`/api/mobile/channels/${channelId}/discussion`);
    expect(described.status).toBe(403);
    expect(described.body.details).toMatchObject({ reason: 'BANNED' });
  });
});
