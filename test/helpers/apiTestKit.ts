import { signToken, startTestApp, type TestApp } from './testApp';

/**
 * Given-helpers for tests that talk HTTP to a started app: tokens, channel bodies and the
 * admin / integration writes that set the scene. Data is created through the command
 * APIs only, never inserted into read models.
 */
export const ADMIN_ID = '019ce156-1647-75b9-a5ba-07758a4f7675';
export const adminToken = signToken(ADMIN_ID, 'admin');
export const serviceToken = signToken('subscriptions', 'service');
export const userToken = (userId = 'user-1') => signToken(userId, 'user');

export const openChannel = { kind: 'BROADCAST', accessPolicy: 'OPEN', visibility: 'PUBLIC', title: 'Signals' };
export const gatedChannel = { ...openChannel, accessPolicy: 'EXTERNAL_GATED', entitlementKey: 'vip', title: 'VIP' };

/** Runs `act` and asserts that the event log did not grow: rejected input appends nothing. */
export const expectNothingAppended = async <T>(server: TestApp, act: () => Promise<T>): Promise<T> => {
  const before = await server.app.eventStore.headPosition();
  const result = await act();
  expect(await server.app.eventStore.headPosition()).toBe(before);
  return result;
};

const expectOk = (response: { status: number; body: unknown }, what: string) => {
  if (response.status >= 300) throw new Error(`${what} failed: ${response.status} ${JSON.stringify(response.body)}`);
};

export const createChannel = async (server: TestApp, body: object = openChannel): Promise<number> => {
  const response = await server.request('POST', '/api/admin/channels', { token: adminToken, body });
  expectOk(response, 'create channel');
  return response.body.data.id;
};

export const publishPost = async (
  server: TestApp,
  channelId: number,
  body: object = { type: 'TEXT', bodyText: 'hello' },
): Promise<{ id: string }> => {
  const response = await server.request('POST', `/api/admin/channels/${channelId}/posts`, { token: adminToken, body });
  expectOk(response, 'publish post');
  return response.body.data;
};

export const adminWrite = async (server: TestApp, method: string, path: string, body?: object) => {
  const response = await server.request(method, path, { token: adminToken, body });
  expectOk(response, `${method} ${path}`);
  return response;
};

export const grant = async (
  server: TestApp,
  userId: string,
  kind: 'entitlements' | 'features',
  key: string,
  body: object = {},
) => {
  const response = await server.request('PUT', `/api/integrations/users/${userId}/${kind}/${key}`, {
    token: serviceToken,
    body,
  });
  expectOk(response, `grant ${kind} ${key}`);
};

export const revoke = async (server: TestApp, userId: string, kind: 'entitlements' | 'features', key: string) => {
  const response = await server.request('DELETE', `/api/integrations/users/${userId}/${kind}/${key}`, {
    token: serviceToken,
  });
  expectOk(response, `revoke ${kind} ${key}`);
};

export const join = async (server: TestApp, userId: string, channelId: number) => {
  const response = await server.request('POST', `/api/mobile/channels/${channelId}/join`, { token: userToken(userId) });
  expectOk(response, 'join');
};

export { startTestApp, signToken, type TestApp };
