import { createTestClock } from '../helpers/testApp';
import { expectNothingAppended } from '../helpers/apiTestKit';
import {
  adminWrite,
  createChannel,
  gatedChannel,
  grant,
  join,
  revoke,
  startTestApp,
  userToken,
  type TestApp,
} from '../helpers/apiTestKit';

/**
 * Spec, "Get Channel Discussion": "If the user cannot access the channel, they cannot access
 * the discussion" and "A joined gated user in grace period may still receive broadcast post
 * push notifications, but discussion read/post/realtime access remains blocked until
 * entitlement is restored." Every denial here is the channel-access rule, so the reason is
 * CHANNEL_ACCESS (src/access/channelAccess.ts, decideDiscussionAccess).
 */
describe('Given a gated channel (EXTERNAL_GATED, entitlement "vip") with an enabled discussion', () => {
  const clock = createTestClock('2026-03-16T10:00:00.000Z');
  const DAY = 24 * 60 * 60 * 1000;
  let server: TestApp;
  let channelId: number;

  const discussion = () => `/api/mobile/channels/${channelId}/discussion`;
  const messages = () => `/api/mobile/channels/${channelId}/discussion/messages`;
  const getDiscussion = (userId: string) => server.request('GET', discussion(), { token: userToken(userId) });
  const getMessages = (userId: string) => server.request('GET', messages(), { token: userToken(userId) });
  const postMessage = (userId: string, body: string) =>
    server.request('POST', messages(), { token: userToken(userId), body: { body } });

  const expectChannelAccessDenied = (response: { status: number; body: any }) => {
    expect(response.status).toBe(403);
    expect(response.body.code).toBe('FORBIDDEN');
    expect(response.body.details).toMatchObject({ reason: 'CHANNEL_ACCESS' });
  };

  beforeAll(async () => {
    server = await startTestApp({ now: clock.now });
    channelId = await createChannel(server, gatedChannel);
    await adminWrite(server, 'PUT', `/api/admin/channels/${channelId}/discussion`, {
      title: 'VIP Signals Discussion',
      isEnabled: true,
      requiredFeatureKey: null,
    });
    await adminWrite(server, 'POST', `/api/admin/channels/${channelId}/discussion/messages`, {
      body: 'Welcome, VIPs.',
    });
  });
  afterAll(() => server.stop());

  describe('When a user who was never entitled reaches the discussion', () => {
    it('then GET .../discussion is 403 FORBIDDEN with details.reason CHANNEL_ACCESS', async () => {
      expectChannelAccessDenied(await getDiscussion('mallory'));
    });

    it('then GET .../discussion/messages is 403 FORBIDDEN with details.reason CHANNEL_ACCESS', async () => {
      expectChannelAccessDenied(await getMessages('mallory'));
    });

    it('then POST .../discussion/messages is 403 FORBIDDEN with details.reason CHANNEL_ACCESS and nothing is appended', async () => {
      const response = await expectNothingAppended(server, () => postMessage('mallory', 'let me in'));
      expectChannelAccessDenied(response);
    });
  });

  describe('Given alice was entitled, joined, and took part in the discussion', () => {
    beforeAll(async () => {
      clock.set('2026-03-17T10:00:00.000Z');
      await grant(server, 'alice', 'entitlements', 'vip');
      await join(server, 'alice', channelId);
    });

    it('When alice reads and posts while entitled, then it is 200 and 201 (the baseline the later 403s are measured against)', async () => {
      expect((await getDiscussion('alice')).status).toBe(200);
      const posted = await postMessage('alice', 'Entry above 1.2000');
      expect(posted.status).toBe(201);
      const listed = await getMessages('alice');
      expect(listed.status).toBe(200);
      expect(listed.body.data.items.map((item: { body: string }) => item.body)).toEqual([
        'Entry above 1.2000',
        'Welcome, VIPs.',
      ]);
    });

    describe('When the subscription system revokes her entitlement and two days pass (inside the 7-day push grace window)', () => {
      beforeAll(async () => {
        clock.set('2026-03-18T10:00:00.000Z');
        await revoke(server, 'alice', 'entitlements', 'vip');
        clock.advance(2 * DAY);
      });

      it('then the channel reads as joined but locked (the grace-period state, not a left membership)', async () => {
        const detail = await server.request('GET', `/api/mobile/channels/${channelId}`, { token: userToken('alice') });
        expect(detail.status).toBe(200);
        expect(detail.body.data).toMatchObject({ id: channelId, isJoined: true, isLocked: true });
      });

      it('then GET .../discussion is 403 FORBIDDEN with details.reason CHANNEL_ACCESS', async () => {
        expectChannelAccessDenied(await getDiscussion('alice'));
      });

      it('then GET .../discussion/messages is 403 FORBIDDEN with details.reason CHANNEL_ACCESS', async () => {
        expectChannelAccessDenied(await getMessages('alice'));
      });

      it('then POST .../discussion/messages is 403 FORBIDDEN with details.reason CHANNEL_ACCESS and nothing is appended', async () => {
        const response = await expectNothingAppended(server, () => postMessage('alice', 'posted while locked'));
        expectChannelAccessDenied(response);
      });
    });

    describe('When the entitlement is granted again', () => {
      beforeAll(async () => {
        clock.advance(DAY);
        await grant(server, 'alice', 'entitlements', 'vip');
      });

      it('then GET .../discussion is 200 again', async () => {
        const response = await getDiscussion('alice');
        expect(response.status).toBe(200);
        expect(response.body.data).toMatchObject({ channelId, isEnabled: true });
      });

      it('then POST .../discussion/messages is 201 again', async () => {
        const response = await postMessage('alice', 'Back in');
        expect(response.status).toBe(201);
        expect(response.body.data).toMatchObject({ authorType: 'USER', authorUserId: 'alice', body: 'Back in' });
      });

      it('then GET .../discussion/messages is 200 again and lists nothing from the locked period', async () => {
        const response = await getMessages('alice');
        expect(response.status).toBe(200);
        expect(response.body.data.items.map((item: { body: string }) => item.body)).toEqual([
          'Back in',
          'Entry above 1.2000',
          'Welcome, VIPs.',
        ]);
      });

      it('then a user who was never entitled is still 403 CHANNEL_ACCESS', async () => {
        expectChannelAccessDenied(await getMessages('mallory'));
      });
    });
  });
});
