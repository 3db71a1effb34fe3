import { adminToken, serviceToken } from '../helpers/apiTestKit';
import type { TestApp } from '../helpers/testApp';

export const discussionSettings = {
  title: 'VIP Signals Discussion',
  isEnabled: true,
  requiredFeatureKey: null as string | null,
  slowModeEnabled: false,
  slowModeIntervalSeconds: null,
};

const ok = async (response: Promise<{ status: number; body: any }>) => {
  const answer = await response;
  if (answer.status >= 300) throw new Error(`HTTP ${answer.status}: ${JSON.stringify(answer.body)}`);
  return answer.body;
};

/** Admin, integration and mobile commands over HTTP, failing loudly on a non-2xx. */
export const commandsOf = (server: TestApp) => ({
  configureDiscussion: async (channelId: number, settings: Partial<typeof discussionSettings> = {}) =>
    (
      await ok(
        server.request('PUT', `/api/admin/channels/${channelId}/discussion`, {
          token: adminToken,
          body: { ...discussionSettings, ...settings },
        }),
      )
    ).data as { id: number },
  grant: (userId: string, kind: 'entitlements' | 'features', key: string, validUntil?: string) =>
    ok(
      server.request('PUT', `/api/integrations/users/${userId}/${kind}/${key}`, {
        token: serviceToken,
        body: validUntil ? { validUntil } : {},
      }),
    ),
  revoke: (userId: string, kind: 'entitlements' | 'features', key: string) =>
    ok(server.request('DELETE', `/api/integrations/users/${userId}/${kind}/${key}`, { token: serviceToken })),
  ban: (channelId: number, userId: string) =>
    ok(
      server.request('PUT', `/api/admin/channels/${channelId}/discussion/bans/${userId}`, {
        token: adminToken,
        body: {},
      }),
    ),
  patchChannel: (channelId: number, body: object) =>
    ok(server.request('PATCH', `/api/admin/channels/${channelId}`, { token: adminToken, body })),
  joinChannel: (channelId: number, token: string) =>
    ok(server.request('POST', `/api/mobile/channels/${channelId}/join`, { token })),
  adminMessage: async (channelId: number, body = 'from the desk') =>
    (
      await ok(
        server.request('POST', `/api/admin/channels/${channelId}/discussion/messages`, {
          token: adminToken,
          body: { body },
        }),
      )
    ).data as { id: number },
  userMessage: async (channelId: number, token: string, body = 'hello') =>
    (
      await ok(
        server.request('POST', `/api/mobile/channels/${channelId}/discussion/messages`, { token, body: { body } }),
      )
    ).data as { id: number },
  editOwn: (messageId: number, token: string, body: string) =>
    ok(server.request('PATCH', `/api/mobile/discussion-messages/${messageId}`, { token, body: { body } })),
  deleteOwn: (messageId: number, token: string) =>
    ok(server.request('DELETE', `/api/mobile/discussion-messages/${messageId}`, { token })),
  adminDelete: (messageId: number) =>
    ok(server.request('DELETE', `/api/admin/discussion-messages/${messageId}`, { token: adminToken })),
  restore: (messageId: number) =>
    ok(server.request('POST', `/api/admin/discussion-messages/${messageId}/restore`, { token: adminToken })),
});
