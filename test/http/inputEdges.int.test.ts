import {
  adminToken,
  createChannel,
  expectNothingAppended,
  gatedChannel,
  openChannel,
  serviceToken,
  startTestApp,
  type TestApp,
} from '../helpers/apiTestKit';

const futureLeapSecond = '2030-12-31T23:59:60Z';

describe('Given a running server, input that passes a naive schema but cannot be stored faithfully', () => {
  let server: TestApp;
  let channelId: number;
  beforeAll(async () => {
    server = await startTestApp();
    channelId = await createChannel(server, openChannel);
    const discussion = await server.request('PUT', `/api/admin/channels/${channelId}/discussion`, {
      token: adminToken,
      body: { title: 'Talk' },
    });
    expect(discussion.status).toBe(201);
  });
  afterAll(() => server.stop());

  it.each([
    [
      'an entitlement validUntil',
      'PUT',
      '/api/integrations/users/u1/entitlements/vip',
      serviceToken,
      { validUntil: futureLeapSecond },
    ],
    [
      'a feature validUntil',
      'PUT',
      '/api/integrations/users/u1/features/chat',
      serviceToken,
      { validUntil: futureLeapSecond },
    ],
  ])(
    'When %s is a leap second (valid RFC 3339, no JavaScript Date), then 422 and nothing is appended',
    async (_what, method, path, token, body) => {
      const response = await expectNothingAppended(server, () => server.request(method, path, { token, body }));
      expect(response.status).toBe(422);
      expect(response.body.code).toBe('VALIDATION_ERROR');
    },
  );

  it('When a ban or mute ends on a leap second, then 422 and nothing is appended', async () => {
    for (const [kind, body] of [
      ['bans', { until: futureLeapSecond }],
      ['mutes', { until: futureLeapSecond }],
    ] as const) {
      const response = await expectNothingAppended(server, () =>
        server.request('PUT', `/api/admin/channels/${channelId}/discussion/${kind}/u1`, { token: adminToken, body }),
      );
      expect({ kind, status: response.status }).toEqual({ kind, status: 422 });
    }
  });

  it('When a gated channel names an entitlement key the subscription system could never grant (a space), then 422', async () => {
    const response = await expectNothingAppended(server, () =>
      server.request('POST', '/api/admin/channels', {
        token: adminToken,
        body: { ...gatedChannel, entitlementKey: 'vip plan' },
      }),
    );
    expect(response.status).toBe(422);
    expect(JSON.stringify(response.body.details)).toContain('/entitlementKey');
  });

  it('When a discussion requires a feature key outside the key alphabet, then 422', async () => {
    const response = await expectNothingAppended(server, () =>
      server.request('PUT', `/api/admin/channels/${channelId}/discussion`, {
        token: adminToken,
        body: { requiredFeatureKey: 'chat discussion' },
      }),
    );
    expect(response.status).toBe(422);
    expect(JSON.stringify(response.body.details)).toContain('/requiredFeatureKey');
  });

  it('When the keys use the shared alphabet, then the gated channel and the feature requirement are accepted', async () => {
    const created = await server.request('POST', '/api/admin/channels', {
      token: adminToken,
      body: { ...gatedChannel, entitlementKey: 'plan:vip-2026@shop' },
    });
    expect(created.status).toBe(201);
    const changed = await server.request('PUT', `/api/admin/channels/${channelId}/discussion`, {
      token: adminToken,
      body: { requiredFeatureKey: 'chat.discussion' },
    });
    expect(changed.status).toBe(200);
  });
});
