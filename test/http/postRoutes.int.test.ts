import { createTestClock } from '../helpers/testApp';
import {
  adminToken,
  createChannel,
  expectNothingAppended,
  publishPost,
  startTestApp,
  userToken,
  type TestApp,
} from '../helpers/apiTestKit';

describe('Given channels 1..3 on a fresh store', () => {
  const clock = createTestClock('2026-03-19T12:00:00.000Z');
  let server: TestApp;
  beforeAll(async () => {
    server = await startTestApp({ now: clock.now, env: { MEDIA_BASE_URL: 'https://cdn.example.com/media/' } });
    for (let i = 0; i < 3; i++) await createChannel(server);
  });
  afterAll(() => server.stop());

  it('When an admin publishes three posts into channel 3, then they get ids "1", "2", "3"', async () => {
    const ids = [];
    for (let i = 0; i < 3; i++) ids.push((await publishPost(server, 3)).id);
    expect(ids).toEqual(['1', '2', '3']);
  });

  it('When an admin publishes a MEDIA post, then it is 201 with the post detail shape and resolved urls', async () => {
    const response = await server.request('POST', '/api/admin/channels/3/posts', {
      token: adminToken,
      body: {
        type: 'MEDIA',
        bodyText: 'chart',
        attachments: [
          { storageKey: 'posts/b.png', fileName: 'b.png', mimeType: 'image/png', sizeBytes: 20, displayOrder: 2 },
          { storageKey: 'posts/a.png', fileName: 'a.png', mimeType: 'image/png', sizeBytes: 10, displayOrder: 1 },
        ],
      },
    });
    expect(response.status).toBe(201);
    expect(response.body.message).toBe('Post published successfully');
    expect(response.body.data).toEqual({
      id: '4',
      channelId: 3,
      publishedAt: '2026-03-19T12:00:00.000Z',
      createdByAdminId: '019ce156-1647-75b9-a5ba-07758a4f7675',
      type: 'MEDIA',
      bodyText: 'chart',
      linkUrl: null,
      chartPayloadJson: null,
      isPinned: false,
      pinnedAt: null,
      isDeleted: false,
      deletedAt: null,
      attachments: [
        expect.objectContaining({
          storageKey: 'posts/a.png',
          url: 'https://cdn.example.com/media/posts/a.png',
          displayOrder: 1,
        }),
        expect.objectContaining({
          storageKey: 'posts/b.png',
          url: 'https://cdn.example.com/media/posts/b.png',
          displayOrder: 2,
        }),
      ],
      createdAt: '2026-03-19T12:00:00.000Z',
      updatedAt: '2026-03-19T12:00:00.000Z',
    });
    expect(typeof response.body.data.attachments[0].id).toBe('string');
  });

  it.each([
    ['a TEXT post without bodyText', { type: 'TEXT' }],
    ['a LINK post without linkUrl', { type: 'LINK', bodyText: 'x' }],
    ['a LINK post with a non-http url', { type: 'LINK', linkUrl: 'javascript:alert(1)' }],
    ['an unknown type', { type: 'POLL', bodyText: 'x' }],
    [
      'an attachment without fileName',
      { type: 'MEDIA', attachments: [{ storageKey: 'k', mimeType: 'image/png', sizeBytes: 1, displayOrder: 0 }] },
    ],
  ])('When the body is %s, then it is 422 and nothing is appended', async (_case, body) => {
    const response = await expectNothingAppended(server, () =>
      server.request('POST', '/api/admin/channels/3/posts', { token: adminToken, body }),
    );
    expect(response.status).toBe(422);
  });

  it('When the channel does not exist, then it is 404 and nothing is appended', async () => {
    const response = await expectNothingAppended(server, () =>
      server.request('POST', '/api/admin/channels/77/posts', {
        token: adminToken,
        body: { type: 'TEXT', bodyText: 'x' },
      }),
    );
    expect(response.status).toBe(404);
  });

  it('When a user publishes, then it is 403', async () => {
    const response = await expectNothingAppended(server, () =>
      server.request('POST', '/api/admin/channels/3/posts', {
        token: userToken(),
        body: { type: 'TEXT', bodyText: 'x' },
      }),
    );
    expect(response.status).toBe(403);
  });

  it('When an admin edits post 2, then it is 200 with the new body and updatedAt', async () => {
    clock.advance(1000);
    const response = await server.request('PATCH', '/api/admin/posts/2', {
      token: adminToken,
      body: { bodyText: 'edited' },
    });
    expect(response.status).toBe(200);
    expect(response.body.data).toMatchObject({
      id: '2',
      channelId: 3,
      bodyText: 'edited',
      updatedAt: '2026-03-19T12:00:01.000Z',
    });
  });

  it("When an admin replaces a MEDIA post's attachments, then a current storage key keeps its id once, and a key listed twice or a new key gets a new id", async () => {
    const attachment = (storageKey: string, displayOrder: number) => ({
      storageKey,
      fileName: storageKey,
      mimeType: 'image/png',
      sizeBytes: 1,
      displayOrder,
    });
    const published = await server.request('POST', '/api/admin/channels/2/posts', {
      token: adminToken,
      body: { type: 'MEDIA', attachments: [attachment('a.png', 0)] },
    });
    const [before] = published.body.data.attachments as Array<{ id: string }>;

    const edited = await server.request('PATCH', `/api/admin/posts/${published.body.data.id}`, {
      token: adminToken,
      body: { attachments: [attachment('a.png', 0), attachment('a.png', 1), attachment('c.png', 2)] },
    });

    expect(edited.status).toBe(200);
    const ids = (edited.body.data.attachments as Array<{ id: string }>).map((a) => a.id);
    expect(ids[0]).toBe(before.id);
    expect(new Set(ids).size).toBe(3);
    const read = await server.request('GET', `/api/mobile/posts/${published.body.data.id}`, { token: userToken() });
    expect((read.body.data.attachments as Array<{ id: string }>).map((a) => a.id)).toEqual(ids);
  });

  it('When an admin edits an unknown post, then it is 404', async () => {
    const response = await expectNothingAppended(server, () =>
      server.request('PATCH', '/api/admin/posts/999', { token: adminToken, body: { bodyText: 'x' } }),
    );
    expect(response.status).toBe(404);
  });

  it('When the post id is not numeric, then it is 400', async () => {
    const response = await server.request('DELETE', '/api/admin/posts/1x', { token: adminToken });
    expect(response.status).toBe(400);
  });

  it('When an admin pins post 1, then isPinned is true; pinning again changes nothing', async () => {
    const response = await server.request('POST', '/api/admin/posts/1/pin', { token: adminToken });
    expect(response.status).toBe(200);
    expect(response.body.data).toMatchObject({ isPinned: true, pinnedAt: '2026-03-19T12:00:01.000Z' });
    const again = await expectNothingAppended(server, () =>
      server.request('POST', '/api/admin/posts/1/pin', { token: adminToken }),
    );
    expect(again.status).toBe(200);
  });

  it('When an admin unpins post 1, then isPinned is false', async () => {
    const response = await server.request('DELETE', '/api/admin/posts/1/pin', { token: adminToken });
    expect(response.status).toBe(200);
    expect(response.body.data).toMatchObject({ isPinned: false, pinnedAt: null });
  });

  it('When an admin deletes post 3, then it is a tombstone; deleting again is 409', async () => {
    const response = await server.request('DELETE', '/api/admin/posts/3', { token: adminToken });
    expect(response.status).toBe(200);
    expect(response.body.data).toMatchObject({ id: '3', isDeleted: true, deletedAt: '2026-03-19T12:00:01.000Z' });
    const again = await expectNothingAppended(server, () =>
      server.request('DELETE', '/api/admin/posts/3', { token: adminToken }),
    );
    expect(again.status).toBe(409);
  });

  it('When the channel is archived, then publishing is 409 and nothing is appended', async () => {
    await server.request('PATCH', '/api/admin/channels/2', { token: adminToken, body: { status: 'ARCHIVED' } });
    const response = await expectNothingAppended(server, () =>
      server.request('POST', '/api/admin/channels/2/posts', {
        token: adminToken,
        body: { type: 'TEXT', bodyText: 'x' },
      }),
    );
    expect(response.status).toBe(409);
  });
});

describe('Given a restarted server on the same data dir', () => {
  it('When it publishes again, then post ids keep increasing above the earlier ones', async () => {
    const first = await startTestApp();
    await createChannel(first);
    expect((await publishPost(first, 1)).id).toBe('1');
    await first.stop();
    const second = await startTestApp({ dataDir: first.config.dataDir });
    try {
      const edited = await second.request('PATCH', '/api/admin/posts/1', {
        token: adminToken,
        body: { bodyText: 'found after restart' },
      });
      expect(edited.status).toBe(200);
      expect(Number((await publishPost(second, 1)).id)).toBeGreaterThan(1);
    } finally {
      await second.stop();
    }
  });
});
