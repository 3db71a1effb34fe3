import { signToken, startTestApp, type TestApp } from '../helpers/testApp';

export const adminToken = signToken('019ce156-1647-75b9-a5ba-07758a4f7675', 'admin');
export const serviceToken = signToken('subscriptions', 'service');
export const userToken = (userId = 'user-1') => signToken(userId, 'user');

/** Runs `act` and asserts that the event log did not grow: rejected input appends nothing. */
export const expectNothingAppended = async <T>(server: TestApp, act: () => Promise<T>): Promise<T> => {
  const before = await server.app.eventStore.headPosition();
  const result = await act();
  expect(await server.app.eventStore.headPosition()).toBe(before);
  return result;
};

export const openChannel = { kind: 'BROADCAST', accessPolicy: 'OPEN', visibility: 'PUBLIC', title: 'Signals' };
export const gatedChannel = { ...openChannel, accessPolicy: 'EXTERNAL_GATED', entitlementKey: 'vip', title: 'VIP' };

export const createChannelVia = async (server: TestApp, body: object = openChannel): Promise<number> => {
  const response = await server.request('POST', '/api/admin/channels', { token: adminToken, body });
  expect(response.status).toBe(201);
  return response.body.data.id;
};

export const publishVia = async (
  server: TestApp,
  channelId: number,
  body: object = { type: 'TEXT', bodyText: 'hello' },
) => {
  const response = await server.request('POST', `/api/admin/channels/${channelId}/posts`, { token: adminToken, body });
  expect(response.status).toBe(201);
  return response.body.data as { id: string };
};

export { startTestApp, signToken, type TestApp };
