import type {
  AdminChannelWritten,
  BanBody,
  BanWritten,
  CreateChannelBody,
  DiscussionBody,
  DiscussionWritten,
  EditPostBody,
  EntitlementWritten,
  FeatureWritten,
  GrantBody,
  MessageBody,
  MessageWritten,
  MuteBody,
  MuteWritten,
  PostWritten,
  PublishPostBody,
  UpdateChannelBody,
} from './contractTypes';
import type { Http, Method } from './http';
import type { CallOptions } from './mobileApi';

type Id = number | string;
const key = (value: string) => encodeURIComponent(value);

/** The back-office (`role: admin`) and subscription-system (`role: service`) routes, one typed function each. */
export const createAdminApi = (http: Http) => {
  const write =
    <T>(method: Method, path: string) =>
    (body?: unknown, options: CallOptions = {}) =>
      http.request<T>({ method, path, body, ...options });
  return {
    createChannel: (body: CreateChannelBody, options?: CallOptions) =>
      write<AdminChannelWritten>('POST', '/api/admin/channels')(body, options),
    updateChannel: (channelId: Id, body: UpdateChannelBody, options?: CallOptions) =>
      write<AdminChannelWritten>('PATCH', `/api/admin/channels/${channelId}`)(body, options),
    publishPost: (channelId: Id, body: PublishPostBody, options?: CallOptions) =>
      write<PostWritten>('POST', `/api/admin/channels/${channelId}/posts`)(body, options),
    editPost: (postId: Id, body: EditPostBody, options?: CallOptions) =>
      write<PostWritten>('PATCH', `/api/admin/posts/${postId}`)(body, options),
    deletePost: (postId: Id, options?: CallOptions) =>
      write<PostWritten>('DELETE', `/api/admin/posts/${postId}`)(undefined, options),
    pinPost: (postId: Id, options?: CallOptions) =>
      write<PostWritten>('POST', `/api/admin/posts/${postId}/pin`)(undefined, options),
    unpinPost: (postId: Id, options?: CallOptions) =>
      write<PostWritten>('DELETE', `/api/admin/posts/${postId}/pin`)(undefined, options),
    putDiscussion: (channelId: Id, body: DiscussionBody, options?: CallOptions) =>
      write<DiscussionWritten>('PUT', `/api/admin/channels/${channelId}/discussion`)(body, options),
    postAdminMessage: (channelId: Id, body: MessageBody, options?: CallOptions) =>
      write<MessageWritten>('POST', `/api/admin/channels/${channelId}/discussion/messages`)(body, options),
    deleteMessage: (messageId: Id, options?: CallOptions) =>
      write<MessageWritten>('DELETE', `/api/admin/discussion-messages/${messageId}`)(undefined, options),
    restoreMessage: (messageId: Id, options?: CallOptions) =>
      write<MessageWritten>('POST', `/api/admin/discussion-messages/${messageId}/restore`)(undefined, options),
    banUser: (channelId: Id, userId: string, body: BanBody, options?: CallOptions) =>
      write<BanWritten>('PUT', `/api/admin/channels/${channelId}/discussion/bans/${key(userId)}`)(body, options),
    unbanUser: (channelId: Id, userId: string, options?: CallOptions) =>
      write<BanWritten>('DELETE', `/api/admin/channels/${channelId}/discussion/bans/${key(userId)}`)(
        undefined,
        options,
      ),
    muteUser: (channelId: Id, userId: string, body: MuteBody, options?: CallOptions) =>
      write<MuteWritten>('PUT', `/api/admin/channels/${channelId}/discussion/mutes/${key(userId)}`)(body, options),
    unmuteUser: (channelId: Id, userId: string, options?: CallOptions) =>
      write<MuteWritten>('DELETE', `/api/admin/channels/${channelId}/discussion/mutes/${key(userId)}`)(
        undefined,
        options,
      ),
    grantEntitlement: (userId: string, entitlementKey: string, body: GrantBody = {}, options?: CallOptions) =>
      write<EntitlementWritten>('PUT', `/api/integrations/users/${key(userId)}/entitlements/${key(entitlementKey)}`)(
        body,
        options,
      ),
    revokeEntitlement: (userId: string, entitlementKey: string, options?: CallOptions) =>
      write<EntitlementWritten>('DELETE', `/api/integrations/users/${key(userId)}/entitlements/${key(entitlementKey)}`)(
        undefined,
        options,
      ),
    grantFeature: (userId: string, featureKey: string, body: GrantBody = {}, options?: CallOptions) =>
      write<FeatureWritten>('PUT', `/api/integrations/users/${key(userId)}/features/${key(featureKey)}`)(body, options),
    revokeFeature: (userId: string, featureKey: string, options?: CallOptions) =>
      write<FeatureWritten>('DELETE', `/api/integrations/users/${key(userId)}/features/${key(featureKey)}`)(
        undefined,
        options,
      ),
  };
};

export type AdminApi = ReturnType<typeof createAdminApi>;
