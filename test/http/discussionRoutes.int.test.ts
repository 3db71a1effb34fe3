import { createTestClock } from '../helpers/testApp';
import { streams } from '../../src/commands/streams';
import {
  adminToken,
  createChannel,
  expectNothingAppended,
  serviceToken,
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

describe('Given a channel and the admin discussion routes', () => {
  const clock = createTestClock('2026-03-16T10:00:00.000Z');
  let server: TestApp;
  let channelId: number;
  const put = (body: object, id: number | string = channelId) =>
    server.request('PUT', `/api/admin/channels/${id}/discussion`, { token: adminToken, body });
  beforeAll(async () => {
    server = await startTestApp({ now: clock.now });
    channelId = await createChannel(server);
  });
  afterAll(() => server.stop());

  it('When slow mode is enabled without an interval on creation, then it is 422 and nothing is appended', async () => {
    const response = await expectNothingAppended(server, () => put({ ...settings, slowModeEnabled: true }));
    expect(response.status).toBe(422);
  });

  it('When an admin PUTs the discussion, then it is created (201) in the spec shape with id 1', async () => {
    const response = await put(settings);
    expect(response.status).toBe(201);
    expect(response.body.data).toEqual({
      id: 1,
      channelId,
      ...settings,
      createdByAdminId: '019ce156-1647-75b9-a5ba-07758a4f7675',
      createdAt: '2026-03-16T10:00:00.000Z',
      updatedAt: '2026-03-16T10:00:00.000Z',
    });
    const channelEvents = await server.app.eventStore.readStream(streams.channel(channelId));
    expect(channelEvents.map((event) => event.type)).toContain('DiscussionAttached');
  });

  it('When an admin PUTs a change, then it is 200 and only that field changes', async () => {
    clock.advance(60_000);
    const response = await put({ slowModeEnabled: true, slowModeIntervalSeconds: 30 });
    expect(response.status).toBe(200);
    expect(response.body.data).toMatchObject({
      id: 1,
      title: settings.title,
      slowModeEnabled: true,
      slowModeIntervalSeconds: 30,
    });
    const events = await server.app.eventStore.readStream(streams.discussion(1));
    expect(events.at(-1)?.data).toMatchObject({ changes: { slowModeEnabled: true, slowModeIntervalSeconds: 30 } });
  });

  it('When the PUT repeats the current settings, then it is 200 and nothing is appended', async () => {
    const response = await expectNothingAppended(server, () => put({ slowModeEnabled: true }));
    expect(response.status).toBe(200);
  });

  it.each([
    ['a string interval', { slowModeIntervalSeconds: '30' }],
    ['an unknown field', { color: 'red' }],
    ['an empty title', { title: '' }],
  ])('When the body has %s, then it is 422', async (_case, body) => {
    const response = await expectNothingAppended(server, () => put(body));
    expect(response.status).toBe(422);
  });

  it('When the channel is unknown or the id malformed, then it is 404 or 400', async () => {
    expect((await expectNothingAppended(server, () => put(settings, 999))).status).toBe(404);
    expect((await expectNothingAppended(server, () => put(settings, 'abc'))).status).toBe(400);
  });

  it('When a user or service PUTs, then it is 403', async () => {
    const body = settings;
    expect(
      (await server.request('PUT', `/api/admin/channels/${channelId}/discussion`, { token: userToken(), body })).status,
    ).toBe(403);
    expect(
      (await server.request('PUT', `/api/admin/channels/${channelId}/discussion`, { token: serviceToken, body }))
        .status,
    ).toBe(403);
  });
});

describe('Given a crash left a channel attached to an empty discussion stream', () => {
  it('When the admin PUTs again, then the discussion is created under the attached id', async () => {
    const server = await startTestApp();
    try {
      const channelId = await createChannel(server);
      await server.app.eventStore.appendToStream(streams.channel(channelId), [
        {
          id: '019ce156-0000-7000-8000-000000000001',
          type: 'DiscussionAttached',
          data: { channelId, discussionId: 7, attachedAt: '2026-03-16T10:00:00.000Z' },
          metadata: { actor: { type: 'system', id: 't' }, correlationId: 'c', causationId: 'c' },
        },
      ]);
      const response = await server.request('PUT', `/api/admin/channels/${channelId}/discussion`, {
        token: adminToken,
        body: {},
      });
      expect(response.status).toBe(201);
      expect(response.body.data).toMatchObject({
        id: 7,
        channelId,
        title: 'Signals',
        isEnabled: true,
        requiredFeatureKey: null,
      });
    } finally {
      await server.stop();
    }
  });
});

describe('Given a discussion requiring a feature, with slow mode 30s', () => {
  const clock = createTestClock('2026-03-16T10:00:00.000Z');
  let server: TestApp;
  let channelId: number;
  const alice = userToken('alice');
  const bob = userToken('bob');
  const post = (
    token: string,
    body: unknown = { body: 'I am waiting for candle confirmation before entry.' },
    id: number | string = channelId,
  ) => server.request('POST', `/api/mobile/channels/${id}/discussion/messages`, { token, body });
  beforeAll(async () => {
    server = await startTestApp({ now: clock.now });
    channelId = await createChannel(server);
    await server.request('PUT', `/api/admin/channels/${channelId}/discussion`, {
      token: adminToken,
      body: { ...settings, slowModeEnabled: true, slowModeIntervalSeconds: 30 },
    });
    for (const user of ['alice', 'bob']) {
      await server.request('PUT', `/api/integrations/users/${user}/features/chat.discussion`, { token: serviceToken });
    }
  });
  afterAll(() => server.stop());

  it('When a user without the feature posts, then it is 403 and nothing is appended', async () => {
    const response = await expectNothingAppended(server, () => post(userToken('carol')));
    expect(response.status).toBe(403);
    expect(response.body.details).toMatchObject({ reason: 'FEATURE_REQUIRED' });
  });

  it('When alice posts, then it is 201 with the full message shape and id 1', async () => {
    const response = await post(alice);
    expect(response.status).toBe(201);
    expect(response.body.data).toEqual({
      id: 1,
      discussionId: 1,
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
      createdAt: '2026-03-16T10:00:00.000Z',
      updatedAt: '2026-03-16T10:00:00.000Z',
    });
  });

  it('When alice posts again 10s later, then it is 429 RATE_LIMITED with retryAfterSeconds 20 and nothing is appended', async () => {
    clock.advance(10_000);
    const response = await expectNothingAppended(server, () => post(alice));
    expect(response.status).toBe(429);
    expect(response.body).toMatchObject({ code: 'RATE_LIMITED', details: { retryAfterSeconds: 20 } });
    expect(response.headers.get('retry-after')).toBe('20');
  });

  it('When bob posts at the same moment, then slow mode is per user', async () => {
    expect((await post(bob)).body.data.id).toBe(2);
  });

  it('When an admin posts, then slow mode does not apply and the author is the admin', async () => {
    const body = { body: 'Wait for confirmation above resistance before entering.' };
    for (let i = 0; i < 2; i++) {
      const response = await server.request('POST', `/api/admin/channels/${channelId}/discussion/messages`, {
        token: adminToken,
        body,
      });
      expect(response.status).toBe(201);
      expect(response.body.data).toMatchObject({
        authorType: 'ADMIN',
        authorUserId: null,
        authorAdminId: '019ce156-1647-75b9-a5ba-07758a4f7675',
      });
    }
  });

  it.each([
    ['an empty body', { body: '' }],
    ['a blank body', { body: '   ' }],
    ['no body', {}],
    ['a numeric body', { body: 5 }],
  ])('When the message has %s, then it is 422', async (_case, body) => {
    expect((await expectNothingAppended(server, () => post(bob, body))).status).toBe(422);
  });

  it('When the channel has no discussion or does not exist, then it is 404; a malformed id 400; no token 401; admin token 403', async () => {
    const other = await createChannel(server);
    expect((await expectNothingAppended(server, () => post(bob, undefined, other))).status).toBe(404);
    expect((await post(bob, undefined, 999)).status).toBe(404);
    expect((await post(bob, undefined, 'x')).status).toBe(400);
    expect(
      (await server.request('POST', `/api/mobile/channels/${channelId}/discussion/messages`, { body: { body: 'x' } }))
        .status,
    ).toBe(401);
    expect((await post(adminToken)).status).toBe(403);
  });

  it('When alice edits her message, then it is 200 with editedAt and editedByUserId', async () => {
    const response = await server.request('PATCH', '/api/mobile/discussion-messages/1', {
      token: alice,
      body: { body: 'Updated: I will wait.' },
    });
    expect(response.status).toBe(200);
    expect(response.body.data).toMatchObject({
      id: 1,
      body: 'Updated: I will wait.',
      editedAt: '2026-03-16T10:00:10.000Z',
      editedByUserId: 'alice',
    });
  });

  it("When bob edits or deletes alice's message, then it is 403 and nothing is appended", async () => {
    const edit = await expectNothingAppended(server, () =>
      server.request('PATCH', '/api/mobile/discussion-messages/1', { token: bob, body: { body: 'mine now' } }),
    );
    expect(edit.status).toBe(403);
    expect((await server.request('DELETE', '/api/mobile/discussion-messages/1', { token: bob })).status).toBe(403);
  });

  it('When an unknown or malformed message id is edited, then it is 404 or 400', async () => {
    expect(
      (await server.request('PATCH', '/api/mobile/discussion-messages/999', { token: alice, body: { body: 'x' } }))
        .status,
    ).toBe(404);
    expect(
      (await server.request('PATCH', '/api/mobile/discussion-messages/a1', { token: alice, body: { body: 'x' } }))
        .status,
    ).toBe(400);
    expect(
      (await server.request('PATCH', '/api/mobile/discussion-messages/1', { token: alice, body: { text: 'x' } }))
        .status,
    ).toBe(422);
  });

  it('When alice deletes her message, then it is a tombstone; editing or deleting it again is 409', async () => {
    const response = await server.request('DELETE', '/api/mobile/discussion-messages/1', { token: alice });
    expect(response.status).toBe(200);
    expect(response.body.data).toMatchObject({
      id: 1,
      isDeleted: true,
      deletedAt: '2026-03-16T10:00:10.000Z',
      deletedByAdminId: null,
    });
    expect((await server.request('DELETE', '/api/mobile/discussion-messages/1', { token: alice })).status).toBe(409);
    expect(
      (await server.request('PATCH', '/api/mobile/discussion-messages/1', { token: alice, body: { body: 'x' } }))
        .status,
    ).toBe(409);
  });

  it("When an admin restores it and deletes bob's message, then both are recorded; restoring a live one is 409", async () => {
    const restored = await server.request('POST', '/api/admin/discussion-messages/1/restore', { token: adminToken });
    expect(restored.status).toBe(200);
    expect(restored.body.data).toMatchObject({ id: 1, isDeleted: false, deletedAt: null });
    const deleted = await server.request('DELETE', '/api/admin/discussion-messages/2', { token: adminToken });
    expect(deleted.body.data).toMatchObject({
      id: 2,
      isDeleted: true,
      deletedByAdminId: '019ce156-1647-75b9-a5ba-07758a4f7675',
    });
    expect(
      (await server.request('POST', '/api/admin/discussion-messages/1/restore', { token: adminToken })).status,
    ).toBe(409);
    expect((await server.request('DELETE', '/api/admin/discussion-messages/999', { token: adminToken })).status).toBe(
      404,
    );
    expect((await server.request('DELETE', '/api/admin/discussion-messages/2', { token: alice })).status).toBe(403);
  });

  describe('moderation', () => {
    const bans = (userId: string) => `/api/admin/channels/${channelId}/discussion/bans/${userId}`;
    const mutes = (userId: string) => `/api/admin/channels/${channelId}/discussion/mutes/${userId}`;

    it('When bob is banned, then his posts are 403 BANNED; after unban he posts again', async () => {
      clock.advance(60_000);
      const ban = await server.request('PUT', bans('bob'), { token: adminToken, body: { reason: 'spam' } });
      expect(ban.status).toBe(200);
      expect(ban.body.data).toEqual({
        discussionId: 1,
        channelId,
        userId: 'bob',
        isBanned: true,
        until: null,
        reason: 'spam',
      });
      const refused = await expectNothingAppended(server, () => post(bob));
      expect(refused.status).toBe(403);
      expect(refused.body.details).toMatchObject({ reason: 'BANNED' });
      const unban = await server.request('DELETE', bans('bob'), { token: adminToken });
      expect(unban.body.data.isBanned).toBe(false);
      expect((await post(bob)).status).toBe(201);
    });

    it('When alice is muted until a time, then she cannot post until then', async () => {
      clock.advance(60_000);
      const until = new Date(clock.now().getTime() + 120_000).toISOString();
      const mute = await server.request('PUT', mutes('alice'), { token: adminToken, body: { until } });
      expect(mute.body.data).toEqual({ discussionId: 1, channelId, userId: 'alice', isMuted: true, until });
      const refused = await post(alice);
      expect(refused.status).toBe(403);
      expect(refused.body.details).toMatchObject({ reason: 'MUTED' });
      clock.advance(120_000);
      expect((await post(alice)).status).toBe(201);
    });

    it('When a mute has no until, a past until or a bad user id, then it is 422 / 422 / 400', async () => {
      expect(
        (
          await expectNothingAppended(server, () =>
            server.request('PUT', mutes('alice'), { token: adminToken, body: {} }),
          )
        ).status,
      ).toBe(422);
      const past = { until: '2020-01-01T00:00:00.000Z' };
      expect(
        (
          await expectNothingAppended(server, () =>
            server.request('PUT', mutes('alice'), { token: adminToken, body: past }),
          )
        ).status,
      ).toBe(422);
      expect(
        (await server.request('PUT', mutes('a%20b'), { token: adminToken, body: { until: '2030-01-01T00:00:00Z' } }))
          .status,
      ).toBe(400);
    });

    it('When alice is unmuted while not muted, then it is 200 and nothing is appended', async () => {
      const response = await expectNothingAppended(server, () =>
        server.request('DELETE', mutes('alice'), { token: adminToken }),
      );
      expect(response.status).toBe(200);
      expect(response.body.data.isMuted).toBe(false);
    });

    it('When a user tries to ban, then it is 403', async () => {
      expect((await server.request('PUT', bans('bob'), { token: alice, body: {} })).status).toBe(403);
    });
  });

  it('When the channel is archived, then user and admin messages are 409', async () => {
    await server.request('PATCH', `/api/admin/channels/${channelId}`, {
      token: adminToken,
      body: { status: 'ARCHIVED' },
    });
    clock.advance(60_000);
    expect((await expectNothingAppended(server, () => post(bob))).status).toBe(409);
    const admin = await server.request('POST', `/api/admin/channels/${channelId}/discussion/messages`, {
      token: adminToken,
      body: { body: 'x' },
    });
    expect(admin.status).toBe(409);
  });
});
