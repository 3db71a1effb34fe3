import type {
  ChannelsPageResponse,
  ChannelsQuery,
  DiscussionResponse,
  MembershipWritten,
  MessageBody,
  MessagesPageResponse,
  MessagesQuery,
  MessageWritten,
  MobileChannelResponse,
  PostResponse,
  PostsPageResponse,
  PostsQuery,
  QueryOf,
  ReadStateBody,
  ReadStateWritten,
} from './contractTypes';
import type { Http } from './http';

/** Per call: an app-chosen Idempotency-Key (e.g. kept in an outbox across app restarts) and an abort signal. */
export type CallOptions = { idempotencyKey?: string; signal?: AbortSignal };

type Id = number | string;

/** The mobile routes of spec/communication-mobile-api.txt, one typed function each. */
export const createMobileApi = (http: Http) => ({
  listChannels: (query: QueryOf<ChannelsQuery> = {}, options: CallOptions = {}) =>
    http.request<ChannelsPageResponse>({ method: 'GET', path: '/api/mobile/channels', query, ...options }),
  getChannel: (channelId: Id, options: CallOptions = {}) =>
    http.request<MobileChannelResponse>({ method: 'GET', path: `/api/mobile/channels/${channelId}`, ...options }),
  listPosts: (channelId: Id, query: QueryOf<PostsQuery> = {}, options: CallOptions = {}) =>
    http.request<PostsPageResponse>({
      method: 'GET',
      path: `/api/mobile/channels/${channelId}/posts`,
      query,
      ...options,
    }),
  getPost: (postId: Id, options: CallOptions = {}) =>
    http.request<PostResponse>({ method: 'GET', path: `/api/mobile/posts/${postId}`, ...options }),
  getDiscussion: (channelId: Id, options: CallOptions = {}) =>
    http.request<DiscussionResponse>({
      method: 'GET',
      path: `/api/mobile/channels/${channelId}/discussion`,
      ...options,
    }),
  listMessages: (channelId: Id, query: QueryOf<MessagesQuery> = {}, options: CallOptions = {}) =>
    http.request<MessagesPageResponse>({
      method: 'GET',
      path: `/api/mobile/channels/${channelId}/discussion/messages`,
      query,
      ...options,
    }),
  joinChannel: (channelId: Id, options: CallOptions = {}) =>
    http.request<MembershipWritten>({ method: 'POST', path: `/api/mobile/channels/${channelId}/join`, ...options }),
  leaveChannel: (channelId: Id, options: CallOptions = {}) =>
    http.request<MembershipWritten>({ method: 'POST', path: `/api/mobile/channels/${channelId}/leave`, ...options }),
  markRead: (channelId: Id, body: ReadStateBody, options: CallOptions = {}) =>
    http.request<ReadStateWritten>({
      method: 'POST',
      path: `/api/mobile/channels/${channelId}/read-state`,
      body,
      ...options,
    }),
  postMessage: (channelId: Id, body: MessageBody, options: CallOptions = {}) =>
    http.request<MessageWritten>({
      method: 'POST',
      path: `/api/mobile/channels/${channelId}/discussion/messages`,
      body,
      ...options,
    }),
  editMessage: (messageId: Id, body: MessageBody, options: CallOptions = {}) =>
    http.request<MessageWritten>({
      method: 'PATCH',
      path: `/api/mobile/discussion-messages/${messageId}`,
      body,
      ...options,
    }),
  deleteMessage: (messageId: Id, options: CallOptions = {}) =>
    http.request<MessageWritten>({
      method: 'DELETE',
      path: `/api/mobile/discussion-messages/${messageId}`,
      ...options,
    }),
});

export type MobileApi = ReturnType<typeof createMobileApi>;
