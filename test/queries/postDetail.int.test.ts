import { createTestClock } from '../helpers/testApp';
import {
  ADMIN_ID,
  adminWrite,
  createChannel,
  gatedChannel,
  publishPost,
  startTestApp,
  type TestApp,
} from '../helpers/apiTestKit';

describe('Given a MEDIA post with two attachments, published through the admin API', () => {
  const clock = createTestClock('2026-03-19T12:00:00.000Z');
  let server: TestApp;
  let channelId: number;
  let postId: string;
  beforeAll(async () => {
    server = await startTestApp({ now: clock.now, env: { MEDIA_BASE_URL: 'https://cdn.example.com/media/' } });
    channelId = await createChannel(server);
    ({ id: postId } = await publishPost(server, channelId, {
      type: 'MEDIA',
      bodyText: 'chart',
      linkUrl: 'https://example.com/analysis',
      chartPayloadJson: { symbol: 'EURUSD', levels: [1.08, 1.09] },
      attachments: [
        { storageKey: 'posts/b%.png', fileName: 'b.png', mimeType: 'image/png', sizeBytes: 20, displayOrder: 2 },
        { storageKey: 'posts/a.png', fileName: 'a.png', mimeType: 'image/png', sizeBytes: 10, displayOrder: 1 },
      ],
    }));
  });
  afterAll(() => server.stop());

  it('When GET /api/mobile/posts/{postId} right after the publish, then every spec field is there, attachments ordered with resolved urls', async () => {
    const response = await server.request('GET', `/api/mobile/posts/${postId}`);
    expect(response.status).toBe(200);
    const attachments = response.body.data.attachments;
    expect(response.body).toEqual({
      message: 'Post fetched successfully',
      data: {
        id: postId,
        channelId,
        publishedAt: '2026-03-19T12:00:00.000Z',
        createdByAdminId: ADMIN_ID,
        type: 'MEDIA',
        bodyText: 'chart',
        linkUrl: 'https://example.com/analysis',
        chartPayloadJson: { symbol: 'EURUSD', levels: [1.08, 1.09] },
        isPinned: false,
        pinnedAt: null,
        isDeleted: false,
        deletedAt: null,
        attachments: [
          {
            id: attachments[0].id,
            storageKey: 'posts/a.png',
            url: 'https://cdn.example.com/media/posts/a.png',
            fileName: 'a.png',
            mimeType: 'image/png',
            sizeBytes: 10,
            displayOrder: 1,
          },
          {
            id: attachments[1].id,
            storageKey: 'posts/b%.png',
            url: 'https://cdn.example.com/media/posts/b%25.png',
            fileName: 'b.png',
            mimeType: 'image/png',
            sizeBytes: 20,
            displayOrder: 2,
          },
        ],
        createdAt: '2026-03-19T12:00:00.000Z',
        updatedAt: '2026-03-19T12:00:00.000Z',
      },
    });
    expect(typeof attachments[0].id).toBe('string');
  });

  it('When the admin edits then pins it, then an immediate read sees each write (read your writes)', async () => {
    clock.advance(60_000);
    await adminWrite(server, 'PATCH', `/api/admin/posts/${postId}`, { bodyText: 'chart v2' });
    expect((await server.request('GET', `/api/mobile/posts/${postId}`)).body.data).toMatchObject({
      bodyText: 'chart v2',
      updatedAt: '2026-03-19T12:01:00.000Z',
    });
    clock.advance(60_000);
    await adminWrite(server, 'POST', `/api/admin/posts/${postId}/pin`);
    expect((await server.request('GET', `/api/mobile/posts/${postId}`)).body.data).toMatchObject({
      isPinned: true,
      pinnedAt: '2026-03-19T12:02:00.000Z',
    });
    await adminWrite(server, 'DELETE', `/api/admin/posts/${postId}/pin`);
    expect((await server.request('GET', `/api/mobile/posts/${postId}`)).body.data).toMatchObject({
      isPinned: false,
      pinnedAt: null,
    });
  });

  it('When the post is deleted, then its detail is a tombstone: isDeleted, deletedAt, content and attachments blanked', async () => {
    const { id: other } = await publishPost(server, channelId, { type: 'TEXT', bodyText: 'secret' });
    clock.advance(60_000);
    await adminWrite(server, 'DELETE', `/api/admin/posts/${other}`);
    const response = await server.request('GET', `/api/mobile/posts/${other}`);
    expect(response.status).toBe(200);
    expect(response.body.data).toMatchObject({ id: other, isDeleted: true, bodyText: null, attachments: [] });
    expect(response.body.data.deletedAt).toEqual(expect.any(String));
  });

  it('When the post id is not numeric, then 400; unknown, then 404', async () => {
    expect((await server.request('GET', '/api/mobile/posts/abc')).status).toBe(400);
    expect((await server.request('GET', '/api/mobile/posts/0')).status).toBe(400);
    const missing = await server.request('GET', '/api/mobile/posts/999');
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe('NOT_FOUND');
  });

  it('When an anonymous caller reads a post of a gated channel, then 403', async () => {
    const gated = await createChannel(server, gatedChannel);
    const { id: gatedPost } = await publishPost(server, gated);
    const response = await server.request('GET', `/api/mobile/posts/${gatedPost}`);
    expect(response.status).toBe(403);
    expect(response.body.code).toBe('FORBIDDEN');
  });
});
