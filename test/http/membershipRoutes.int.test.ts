import { createTestClock } from '../helpers/testApp';
import {
  adminToken,
  createChannel,
  expectNothingAppended,
  gatedChannel,
  publishPost,
  serviceToken,
  startTestApp,
  userToken,
  type TestApp,
} from '../helpers/apiTestKit';

describe('Given an OPEN broadcast channel, a gated one and a group channel', () => {
  const clock = createTestClock('2026-03-10T10:00:00.000Z');
  let server: TestApp;
  let open: number;
  let gated: number;
  let group: number;
  const alice = userToken('alice');
  beforeAll(async () => {
    server = await startTestApp({ now: clock.now });
    open = await createChannel(server);
    gated = await createChannel(server, gatedChannel);
    group = await createChannel(server, { ...gatedChannel, kind: 'GROUP', accessPolicy: 'OPEN' });
  });
  afterAll(() => server.stop());

  it('When alice joins the OPEN channel, then the spec shape comes back with leftAt null', async () => {
    const response = await server.request('POST', `/api/mobile/channels/${open}/join`, { token: alice });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      message: 'Channel joined successfully',
      data: { channelId: open, isJoined: true, joinedAt: '2026-03-10T10:00:00.000Z', leftAt: null },
    });
    expect(response.body.position).toMatch(/^\d+$/);
  });

  it('When alice joins again, then it is the same joined state and nothing is appended', async () => {
    const response = await expectNothingAppended(server, () =>
      server.request('POST', `/api/mobile/channels/${open}/join`, { token: alice }),
    );
    expect(response.body.data).toEqual({
      channelId: open,
      isJoined: true,
      joinedAt: '2026-03-10T10:00:00.000Z',
      leftAt: null,
    });
  });

  it('When alice leaves later, then joinedAt stays and leftAt is set', async () => {
    clock.set('2026-03-19T12:30:00.000Z');
    const response = await server.request('POST', `/api/mobile/channels/${open}/leave`, { token: alice });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      message: 'Channel left successfully',
      data: {
        channelId: open,
        isJoined: false,
        joinedAt: '2026-03-10T10:00:00.000Z',
        leftAt: '2026-03-19T12:30:00.000Z',
      },
    });
    const again = await expectNothingAppended(server, () =>
      server.request('POST', `/api/mobile/channels/${open}/leave`, { token: alice }),
    );
    expect(again.body.data.isJoined).toBe(false);
  });

  it('When alice joins the gated channel without entitlement, then it is 403 and nothing is appended', async () => {
    const response = await expectNothingAppended(server, () =>
      server.request('POST', `/api/mobile/channels/${gated}/join`, { token: alice }),
    );
    expect(response.status).toBe(403);
  });

  it('When alice gets the entitlement, joins, then loses it, then leaving still works', async () => {
    const grant = await server.request('PUT', '/api/integrations/users/alice/entitlements/vip', {
      token: serviceToken,
      body: { validUntil: '2026-03-20T00:00:00.000Z' },
    });
    expect(grant.status).toBe(200);
    expect((await server.request('POST', `/api/mobile/channels/${gated}/join`, { token: alice })).status).toBe(200);
    clock.set('2026-03-20T00:00:00.000Z');
    expect((await server.request('POST', `/api/mobile/channels/${gated}/join`, { token: alice })).status).toBe(403);
    const left = await server.request('POST', `/api/mobile/channels/${gated}/leave`, { token: alice });
    expect(left.status).toBe(200);
    expect(left.body.data).toMatchObject({ isJoined: false, leftAt: '2026-03-20T00:00:00.000Z' });
  });

  it('When alice joins a non-broadcast channel, then it is 409', async () => {
    const response = await expectNothingAppended(server, () =>
      server.request('POST', `/api/mobile/channels/${group}/join`, { token: alice }),
    );
    expect(response.status).toBe(409);
  });

  it.each([
    ['no token', undefined, 401],
    ['an admin token', adminToken, 403],
    ['a service token', serviceToken, 403],
  ])('When joining with %s, then it is %s', async (_case, token, status) => {
    const response = await expectNothingAppended(server, () =>
      server.request('POST', `/api/mobile/channels/${open}/join`, { token }),
    );
    expect(response.status).toBe(status);
  });

  it('When the channel id is not numeric or unknown, then it is 400 or 404', async () => {
    expect((await server.request('POST', '/api/mobile/channels/x/join', { token: alice })).status).toBe(400);
    expect((await server.request('POST', '/api/mobile/channels/404/leave', { token: alice })).status).toBe(404);
  });

  describe('read-state', () => {
    beforeAll(async () => {
      for (let i = 0; i < 3; i++) await publishPost(server, open);
    });

    it('When alice reports post 2, then the spec shape comes back', async () => {
      const response = await server.request('POST', `/api/mobile/channels/${open}/read-state`, {
        token: alice,
        body: { last_seen_post_id: '2' },
      });
      expect(response.status).toBe(200);
      expect(response.body.data).toEqual({
        channelId: open,
        lastSeenPostId: '2',
        lastSeenAt: '2026-03-20T00:00:00.000Z',
      });
    });

    it('When alice reports an older post, then the cursor stays and nothing is appended', async () => {
      const response = await expectNothingAppended(server, () =>
        server.request('POST', `/api/mobile/channels/${open}/read-state`, {
          token: alice,
          body: { last_seen_post_id: '1' },
        }),
      );
      expect(response.body.data.lastSeenPostId).toBe('2');
    });

    it('When alice reports a post id beyond the channel, then the cursor is clamped to its last post', async () => {
      const response = await server.request('POST', `/api/mobile/channels/${open}/read-state`, {
        token: alice,
        body: { last_seen_post_id: '1200' },
      });
      expect(response.body.data.lastSeenPostId).toBe('3');
    });

    it.each([
      ['a number', 5],
      ['a negative string', '-1'],
      ['a decimal', '1.5'],
      ['missing', undefined],
    ])('When last_seen_post_id is %s, then it is 422', async (_case, value) => {
      const response = await expectNothingAppended(server, () =>
        server.request('POST', `/api/mobile/channels/${open}/read-state`, {
          token: alice,
          body: { last_seen_post_id: value },
        }),
      );
      expect(response.status).toBe(422);
    });

    it('When alice has no access to the gated channel, then it is 403; without a token 401', async () => {
      const body = { last_seen_post_id: '1' };
      expect(
        (await server.request('POST', `/api/mobile/channels/${gated}/read-state`, { token: alice, body })).status,
      ).toBe(403);
      expect((await server.request('POST', `/api/mobile/channels/${gated}/read-state`, { body })).status).toBe(401);
    });
  });
});
