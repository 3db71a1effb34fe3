import { createTestClock } from '../helpers/testApp';
import {
  adminToken,
  expectNothingAppended,
  serviceToken,
  startTestApp,
  userToken,
  type TestApp,
} from '../helpers/apiTestKit';

describe('Given the integration routes', () => {
  const clock = createTestClock('2026-03-19T12:00:00.000Z');
  let server: TestApp;
  beforeAll(async () => {
    server = await startTestApp({ now: clock.now });
  });
  afterAll(() => server.stop());

  it('When the subscription system grants an entitlement, then it is active until validUntil', async () => {
    const response = await server.request('PUT', '/api/integrations/users/u1/entitlements/vip', {
      token: serviceToken,
      body: { validUntil: '2026-04-01T00:00:00Z' },
    });
    expect(response.status).toBe(200);
    expect(response.body.data).toEqual({
      userId: 'u1',
      entitlementKey: 'vip',
      isActive: true,
      grantedAt: '2026-03-19T12:00:00.000Z',
      validUntil: '2026-04-01T00:00:00.000Z',
      revokedAt: null,
      lostAt: null,
    });
  });

  it('When validUntil has passed, then it reads as lost at validUntil', async () => {
    clock.set('2026-04-02T00:00:00.000Z');
    const response = await expectNothingAppended(server, () =>
      server.request('DELETE', '/api/integrations/users/u1/entitlements/vip', { token: serviceToken }),
    );
    expect(response.body.data).toMatchObject({ isActive: false, lostAt: '2026-04-01T00:00:00.000Z', revokedAt: null });
  });

  it('When a feature is granted without validUntil and then revoked, then it is lost at the revocation', async () => {
    expect(
      (await server.request('PUT', '/api/integrations/users/u1/features/chat.discussion', { token: serviceToken }))
        .status,
    ).toBe(200);
    const response = await server.request('DELETE', '/api/integrations/users/u1/features/chat.discussion', {
      token: serviceToken,
    });
    expect(response.status).toBe(200);
    expect(response.body.data).toMatchObject({
      featureKey: 'chat.discussion',
      isActive: false,
      lostAt: '2026-04-02T00:00:00.000Z',
    });
  });

  it.each([
    ['a non-date validUntil', { validUntil: 'tomorrow' }],
    ['an unknown field', { plan: 'gold' }],
  ])('When the body has %s, then it is 422 and nothing is appended', async (_case, body) => {
    const response = await expectNothingAppended(server, () =>
      server.request('PUT', '/api/integrations/users/u1/entitlements/vip', { token: serviceToken, body }),
    );
    expect(response.status).toBe(422);
  });

  it('When the key has characters outside the allowed set, then it is 400', async () => {
    const response = await expectNothingAppended(server, () =>
      server.request('PUT', '/api/integrations/users/u1/entitlements/v%20ip', { token: serviceToken }),
    );
    expect(response.status).toBe(400);
  });

  it.each([
    ['no token', undefined, 401],
    ['an admin token', adminToken, 403],
    ['a user token', userToken('u1'), 403],
  ])('When called with %s, then it is %s', async (_case, token, status) => {
    const response = await expectNothingAppended(server, () =>
      server.request('PUT', '/api/integrations/users/u1/entitlements/vip', { token, body: {} }),
    );
    expect(response.status).toBe(status);
  });
});
