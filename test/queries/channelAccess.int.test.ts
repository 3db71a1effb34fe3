import { createTestClock } from '../helpers/testApp';
import {
  createChannel,
  gatedChannel,
  grant,
  join,
  publishPost,
  revoke,
  startTestApp,
  userToken,
  type TestApp,
} from '../helpers/apiTestKit';

describe('Given a gated channel with a post, and users told about by the subscription system', () => {
  const clock = createTestClock('2026-03-19T12:00:00.000Z');
  let server: TestApp;
  let channelId: number;
  let privateGated: number;
  let postId: string;
  const get = (path: string, userId?: string) =>
    server.request('GET', path, { token: userId ? userToken(userId) : undefined });
  const listed = async (userId: string) =>
    (await get('/api/mobile/channels?limit=100', userId)).body.data.items as Array<{
      id: number;
      isJoined: boolean;
      isLocked: boolean;
    }>;

  beforeAll(async () => {
    server = await startTestApp({ now: clock.now });
    channelId = await createChannel(server, gatedChannel);
    privateGated = await createChannel(server, {
      ...gatedChannel,
      visibility: 'PRIVATE',
      entitlementKey: 'vip',
      title: 'Inner circle',
    });
    ({ id: postId } = await publishPost(server, channelId));
    await grant(server, 'member', 'entitlements', 'vip');
  });
  afterAll(() => server.stop());

  it('When an entitled user reads, then detail, posts and post detail are 200 and the list shows the private gated channel too', async () => {
    expect((await get(`/api/mobile/channels/${channelId}`, 'member')).body.data).toMatchObject({
      isJoined: false,
      isLocked: false,
    });
    expect((await get(`/api/mobile/channels/${channelId}/posts`, 'member')).status).toBe(200);
    expect((await get(`/api/mobile/posts/${postId}`, 'member')).status).toBe(200);
    expect((await listed('member')).map((item) => item.id)).toEqual([privateGated, channelId]);
  });

  it('When a user who was never entitled reads, then 403 everywhere and the private channel stays unlisted', async () => {
    expect((await get(`/api/mobile/channels/${channelId}`, 'stranger')).status).toBe(403);
    expect((await get(`/api/mobile/channels/${channelId}/posts`, 'stranger')).status).toBe(403);
    expect((await get(`/api/mobile/posts/${postId}`, 'stranger')).status).toBe(403);
    expect((await listed('stranger')).map((item) => item.id)).toEqual([channelId]);
  });

  it('When the entitled user joins, then the list and the detail say isJoined', async () => {
    await join(server, 'member', channelId);
    expect((await get(`/api/mobile/channels/${channelId}`, 'member')).body.data).toMatchObject({
      isJoined: true,
      isLocked: false,
    });
    expect((await listed('member')).find((item) => item.id === channelId)).toMatchObject({
      isJoined: true,
      isLocked: false,
    });
  });

  it('When the joined user loses the entitlement, then detail is the locked shell, the list says locked, and posts are 403', async () => {
    await revoke(server, 'member', 'entitlements', 'vip');
    const detail = await get(`/api/mobile/channels/${channelId}`, 'member');
    expect(detail.status).toBe(200);
    expect(detail.body.data).toMatchObject({ id: channelId, isJoined: true, isLocked: true });
    expect((await listed('member')).find((item) => item.id === channelId)).toMatchObject({
      isJoined: true,
      isLocked: true,
    });
    const posts = await get(`/api/mobile/channels/${channelId}/posts`, 'member');
    expect(posts.status).toBe(403);
    expect(posts.body.details).toEqual({ reason: 'ENTITLEMENT_REQUIRED', isLocked: true });
    expect((await get(`/api/mobile/posts/${postId}`, 'member')).status).toBe(403);
  });

  it('When an entitlement granted until a time passes that time on the injected clock, then access is lost exactly then', async () => {
    await grant(server, 'renter', 'entitlements', 'vip', { validUntil: '2026-03-19T13:00:00.000Z' });
    expect((await get(`/api/mobile/channels/${channelId}/posts`, 'renter')).status).toBe(200);
    clock.set('2026-03-19T13:00:00.000Z');
    expect((await get(`/api/mobile/channels/${channelId}/posts`, 'renter')).status).toBe(403);
  });
});
