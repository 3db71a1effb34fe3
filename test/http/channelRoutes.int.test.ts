import { createTestClock } from '../helpers/testApp';
import {
  adminToken,
  createChannel,
  expectNothingAppended,
  gatedChannel,
  openChannel,
  serviceToken,
  startTestApp,
  userToken,
  type TestApp,
} from '../helpers/apiTestKit';

describe('Given the admin channel routes on a fresh store', () => {
  const clock = createTestClock('2026-03-19T12:00:00.000Z');
  let server: TestApp;
  beforeAll(async () => {
    server = await startTestApp({ now: clock.now });
  });
  afterAll(() => server.stop());

  it('When an admin creates a channel, then it is 201 with the channel, ACTIVE, id 1 and a position', async () => {
    const response = await server.request('POST', '/api/admin/channels', {
      token: adminToken,
      body: { ...openChannel, description: 'd' },
    });
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({
      message: 'Channel created successfully',
      data: {
        id: 1,
        kind: 'BROADCAST',
        accessPolicy: 'OPEN',
        visibility: 'PUBLIC',
        status: 'ACTIVE',
        title: 'Signals',
        description: 'd',
        createdByAdminId: '019ce156-1647-75b9-a5ba-07758a4f7675',
        createdAt: '2026-03-19T12:00:00.000Z',
      },
    });
    expect(response.body.position).toMatch(/^\d+$/);
    expect(BigInt(response.body.position)).toBe(await server.app.eventStore.headPosition());
  });

  it('When the next channels are created, then ids continue 2, 3', async () => {
    expect(await createChannel(server)).toBe(2);
    expect(await createChannel(server, gatedChannel)).toBe(3);
  });

  it('When there is no token, then it is 401 and nothing is appended', async () => {
    const response = await expectNothingAppended(server, () =>
      server.request('POST', '/api/admin/channels', { body: openChannel }),
    );
    expect(response.status).toBe(401);
    expect(response.body.code).toBe('UNAUTHORIZED');
  });

  it.each([
    ['user', userToken()],
    ['service', serviceToken],
  ])('When a %s token is used, then it is 403 and nothing is appended', async (_role, token) => {
    const response = await expectNothingAppended(server, () =>
      server.request('POST', '/api/admin/channels', { token, body: openChannel }),
    );
    expect(response.status).toBe(403);
  });

  it.each([
    ['an unknown kind', { ...openChannel, kind: 'CHAT' }],
    ['no title', { ...openChannel, title: undefined }],
    ['an unknown field', { ...openChannel, color: 'red' }],
    ['gated without entitlementKey', { ...openChannel, accessPolicy: 'EXTERNAL_GATED' }],
    ['gated with a null entitlementKey', { ...openChannel, accessPolicy: 'EXTERNAL_GATED', entitlementKey: null }],
    ['a non-object body', 'not json'],
  ])('When the body has %s, then it is 422 and nothing is appended', async (_case, body) => {
    const response = await expectNothingAppended(server, () =>
      server.request('POST', '/api/admin/channels', { token: adminToken, body }),
    );
    expect(response.status).toBe(422);
    expect(response.body.code).toBe('VALIDATION_ERROR');
  });

  it('When an admin archives a channel, then it is 200 with status ARCHIVED', async () => {
    clock.advance(60_000);
    const response = await server.request('PATCH', '/api/admin/channels/1', {
      token: adminToken,
      body: { status: 'ARCHIVED', title: 'Old' },
    });
    expect(response.status).toBe(200);
    expect(response.body.data).toMatchObject({
      id: 1,
      status: 'ARCHIVED',
      title: 'Old',
      updatedAt: '2026-03-19T12:01:00.000Z',
    });
  });

  it('When the patch changes nothing, then it is 200 and nothing is appended', async () => {
    const response = await expectNothingAppended(server, () =>
      server.request('PATCH', '/api/admin/channels/1', { token: adminToken, body: { title: 'Old' } }),
    );
    expect(response.status).toBe(200);
  });

  it('When an admin gates channel 2 without an entitlementKey, then it is 422 and nothing is appended', async () => {
    const response = await expectNothingAppended(server, () =>
      server.request('PATCH', '/api/admin/channels/2', { token: adminToken, body: { accessPolicy: 'EXTERNAL_GATED' } }),
    );
    expect(response.status).toBe(422);
  });

  it('When an admin gates channel 2 with an entitlementKey, then it is 200', async () => {
    const response = await server.request('PATCH', '/api/admin/channels/2', {
      token: adminToken,
      body: { accessPolicy: 'EXTERNAL_GATED', entitlementKey: 'gold' },
    });
    expect(response.status).toBe(200);
    expect(response.body.data).toMatchObject({ accessPolicy: 'EXTERNAL_GATED', entitlementKey: 'gold' });
  });

  it('When the patch is empty, then it is 422', async () => {
    const response = await expectNothingAppended(server, () =>
      server.request('PATCH', '/api/admin/channels/1', { token: adminToken, body: {} }),
    );
    expect(response.status).toBe(422);
  });

  it('When the path id is not numeric, then it is 400', async () => {
    const response = await expectNothingAppended(server, () =>
      server.request('PATCH', '/api/admin/channels/abc', { token: adminToken, body: { title: 'x' } }),
    );
    expect(response.status).toBe(400);
    expect(response.body.code).toBe('BAD_REQUEST');
  });

  it('When the channel does not exist, then it is 404', async () => {
    const response = await expectNothingAppended(server, () =>
      server.request('PATCH', '/api/admin/channels/999', { token: adminToken, body: { title: 'x' } }),
    );
    expect(response.status).toBe(404);
  });
});
