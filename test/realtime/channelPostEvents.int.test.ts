import { adminToken, createChannel, openChannel, publishPost } from '../helpers/apiTestKit';
import { connectSocket, type TestSocket } from '../helpers/socketClient';
import { createTestClock, signToken, startTestApp, type TestApp } from '../helpers/testApp';

const ADMIN_ID = '019ce156-1647-75b9-a5ba-07758a4f7675';
const adminActor = { type: 'admin', id: ADMIN_ID };

describe('Given a socket in the posts room of an open channel', () => {
  const clock = createTestClock('2026-03-17T10:15:00.000Z');
  let server: TestApp;
  let channelId: number;
  let socket: TestSocket;

  beforeAll(async () => {
    server = await startTestApp({ now: clock.now });
    channelId = await createChannel(server, openChannel);
    socket = await connectSocket(server.url, signToken('user-1'));
    expect(await socket.call('communication:join_channel_posts', { channelId })).toMatchObject({ ok: true });
  });
  afterAll(async () => {
    socket.close();
    await server.stop();
  });

  const adminCall = async (method: string, path: string, body?: unknown) => {
    const response = await server.request(method, path, { token: adminToken, body });
    expect(response.status).toBeLessThan(300);
  };

  it('When an admin publishes a post, then communication.channel_post.created carries the new post', async () => {
    const post = await publishPost(server, channelId, {
      type: 'LINK',
      bodyText: 'read',
      linkUrl: 'https://example.com/a',
    });
    const event = await socket.waitFor(
      (e) => e.eventType === 'communication.channel_post.created' && e.data.id === post.id,
    );
    expect(event).toEqual({
      eventId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      eventType: 'communication.channel_post.created',
      occurredAt: '2026-03-17T10:15:00.000Z',
      data: {
        id: post.id,
        channelId,
        type: 'LINK',
        bodyText: 'read',
        linkUrl: 'https://example.com/a',
        chartPayloadJson: null,
        attachments: [],
        createdByAdminId: ADMIN_ID,
        publishedAt: '2026-03-17T10:15:00.000Z',
        createdAt: '2026-03-17T10:15:00.000Z',
        updatedAt: '2026-03-17T10:15:00.000Z',
        actor: adminActor,
      },
    });
  });

  it('When an admin publishes or re-orders media, then the attachments read as in REST: display order, each with its url', async () => {
    const attachments = [
      { storageKey: 'posts/b.png', fileName: 'b.png', mimeType: 'image/png', sizeBytes: 20, displayOrder: 2 },
      { storageKey: 'posts/a.png', fileName: 'a.png', mimeType: 'image/png', sizeBytes: 10, displayOrder: 1 },
    ];
    const post = await publishPost(server, channelId, { type: 'MEDIA', bodyText: 'chart', attachments });
    const created = await socket.waitFor(
      (e) => e.eventType === 'communication.channel_post.created' && e.data.id === post.id,
    );
    const rest = await server.request('GET', `/api/mobile/posts/${post.id}`, { token: signToken('user-1') });
    const createdAttachments = created.data.attachments as Array<{ fileName: string; url: string }>;
    expect(createdAttachments.map((attachment) => attachment.fileName)).toEqual(['a.png', 'b.png']);
    expect(createdAttachments[0].url).toBe('https://media.example.com/posts/a.png');
    expect(createdAttachments).toEqual(rest.body.data.attachments);

    await adminCall('PATCH', `/api/admin/posts/${post.id}`, {
      attachments: attachments.map((attachment) => ({ ...attachment, displayOrder: 3 - attachment.displayOrder })),
    });
    const updated = await socket.waitFor(
      (e) => e.eventType === 'communication.channel_post.updated' && e.data.id === post.id,
    );
    const updatedAttachments = updated.data.attachments as Array<{ fileName: string; url: string }>;
    expect(updatedAttachments.map((attachment) => [attachment.fileName, attachment.url])).toEqual([
      ['b.png', 'https://media.example.com/posts/b.png'],
      ['a.png', 'https://media.example.com/posts/a.png'],
    ]);
  });

  it('When an admin edits a post, then communication.channel_post.updated carries only the changed fields', async () => {
    const post = await publishPost(server, channelId);
    clock.advance(60_000);
    await adminCall('PATCH', `/api/admin/posts/${post.id}`, { bodyText: 'edited' });
    const event = await socket.waitFor(
      (e) => e.eventType === 'communication.channel_post.updated' && e.data.id === post.id,
    );
    expect(event.data).toEqual({
      id: post.id,
      channelId,
      bodyText: 'edited',
      editedByAdminId: ADMIN_ID,
      updatedAt: clock.now().toISOString(),
      actor: adminActor,
    });
    expect(event.occurredAt).toBe(clock.now().toISOString());
  });

  it('When an admin deletes a post, then communication.channel_post.deleted is a tombstone', async () => {
    const post = await publishPost(server, channelId, { type: 'TEXT', bodyText: 'secret' });
    await adminCall('DELETE', `/api/admin/posts/${post.id}`);
    const event = await socket.waitFor(
      (e) => e.eventType === 'communication.channel_post.deleted' && e.data.id === post.id,
    );
    expect(event.data).toEqual({
      id: post.id,
      channelId,
      isDeleted: true,
      deletedAt: clock.now().toISOString(),
      deletedByAdminId: ADMIN_ID,
      updatedAt: clock.now().toISOString(),
      actor: adminActor,
    });
    expect(JSON.stringify(event)).not.toContain('secret');
  });

  it('When an admin pins and then unpins a post, then communication.channel_post.pinned says isPinned true, then false', async () => {
    const post = await publishPost(server, channelId);
    await adminCall('POST', `/api/admin/posts/${post.id}/pin`);
    await adminCall('DELETE', `/api/admin/posts/${post.id}/pin`);
    const unpinned = await socket.waitFor(
      (e) => e.eventType === 'communication.channel_post.pinned' && e.data.id === post.id && e.data.isPinned === false,
    );
    const pins = socket.received.filter(
      (e) => e.eventType === 'communication.channel_post.pinned' && e.data.id === post.id,
    );
    expect(pins.map((e) => e.data.isPinned)).toEqual([true, false]);
    expect(pins[0].data).toMatchObject({
      isPinned: true,
      pinnedAt: clock.now().toISOString(),
      pinnedByAdminId: ADMIN_ID,
    });
    expect(unpinned.data).toMatchObject({ isPinned: false, pinnedAt: null, unpinnedByAdminId: ADMIN_ID });
  });

  it('When several posts are published back to back, then they arrive once each, in stream order', async () => {
    const before = socket.received.length;
    const ids: string[] = [];
    for (let i = 0; i < 10; i += 1) ids.push((await publishPost(server, channelId)).id);
    await socket.waitFor((e) => e.data.id === ids[ids.length - 1]);
    const created = socket.received.slice(before).filter((e) => e.eventType === 'communication.channel_post.created');
    expect(created.map((e) => e.data.id)).toEqual(ids);
  });

  it('When a channel setting changes, then no server event is sent for it', async () => {
    const before = socket.received.length;
    await adminCall('PATCH', `/api/admin/channels/${channelId}`, { title: 'Renamed' });
    const post = await publishPost(server, channelId);
    await socket.waitFor((e) => e.data.id === post.id);
    expect(socket.received.slice(before).map((e) => e.data.id)).toEqual([post.id]);
  });
});
