import type { TObject, TSchema } from '@sinclair/typebox';
import * as c from '../contract';
import { specExamples } from './specExamples';

/** Who may call a route: `optional` reads answer more to a valid token (JWT optional, as in the spec); `ops` takes OPS_TOKEN or an admin JWT. */
export type Access = 'public' | 'optional' | 'user' | 'admin' | 'service' | 'ops';
export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

export type HttpOperation = {
  method: Method;
  /** OpenAPI path template, e.g. /api/mobile/channels/{id} */
  path: string;
  tag: 'Mobile' | 'Admin' | 'Integrations' | 'Operations';
  summary: string;
  access: Access;
  query?: TObject;
  body?: TSchema;
  /** Bodies of bans and grants may be left out entirely. */
  bodyOptional?: boolean;
  /** Success statuses and their bodies: a schema, or `json` (another document), `text` (Prometheus), `html` (the docs page). */
  responses: Record<number, TSchema | 'text' | 'html' | 'json'>;
  /** Error statuses beyond those every route of its kind has (see errorStatusesOf). */
  errors?: number[];
  examples?: { request?: unknown; response?: unknown };
};

const op = (operation: HttpOperation) => operation;
const get = (path: string, tag: HttpOperation['tag'], access: Access, summary: string, rest: Partial<HttpOperation>) =>
  op({ method: 'get', path, tag, access, summary, responses: {}, ...rest });
const write = (
  method: Method,
  path: string,
  tag: HttpOperation['tag'],
  access: Access,
  summary: string,
  rest: Partial<HttpOperation>,
) => op({ method, path, tag, access, summary, responses: {}, ...rest });

const mobile = (method: Method, path: string, access: Access, summary: string, rest: Partial<HttpOperation>) =>
  method === 'get' ? get(path, 'Mobile', access, summary, rest) : write(method, path, 'Mobile', access, summary, rest);
const admin = (method: Method, path: string, summary: string, rest: Partial<HttpOperation>) =>
  write(method, path, 'Admin', 'admin', summary, rest);
const grant = (method: 'put' | 'delete', kind: 'entitlements' | 'features') => {
  const key = kind === 'entitlements' ? 'key' : 'featureKey';
  const noun = kind === 'entitlements' ? 'entitlement' : 'feature';
  return write(method, `/api/integrations/users/{userId}/${kind}/{${key}}`, 'Integrations', 'service', '', {
    summary: method === 'put' ? `Grant a user a ${noun} (optionally until validUntil)` : `Revoke a user's ${noun}`,
    ...(method === 'put' ? { body: c.GrantBody, bodyOptional: true } : {}),
    responses: { 200: kind === 'entitlements' ? c.EntitlementWritten : c.FeatureWritten },
  });
};

/** Every HTTP route the service serves, as documented in /openapi.json. */
export const httpOperations: HttpOperation[] = [
  mobile('get', '/api/mobile/channels', 'optional', 'List channels (newest first, cursor paging)', {
    query: c.ChannelsQuery,
    responses: { 200: c.ChannelsPageResponse },
  }),
  mobile('get', '/api/mobile/channels/{id}', 'optional', 'Channel detail (the locked shell after a lost entitlement)', {
    responses: { 200: c.MobileChannelResponse },
  }),
  mobile('get', '/api/mobile/channels/{id}/posts', 'optional', "A page of a channel's posts (after_id or before_id)", {
    query: c.PostsQuery,
    responses: { 200: c.PostsPageResponse },
  }),
  mobile('get', '/api/mobile/posts/{postId}', 'optional', 'Post detail', { responses: { 200: c.PostResponse } }),
  mobile('get', '/api/mobile/channels/{id}/discussion', 'user', "The channel's discussion", {
    responses: { 200: c.DiscussionResponse },
    examples: { response: specExamples.discussion },
  }),
  mobile('get', '/api/mobile/channels/{id}/discussion/messages', 'user', 'Discussion messages, newest first', {
    query: c.MessagesQuery,
    responses: { 200: c.MessagesPageResponse },
    examples: { response: specExamples.messagesFull },
  }),
  mobile('post', '/api/mobile/channels/{id}/join', 'user', 'Join a broadcast channel (push notifications)', {
    responses: { 200: c.MembershipWritten },
    examples: { response: specExamples.joined },
  }),
  mobile('post', '/api/mobile/channels/{id}/leave', 'user', 'Leave a broadcast channel', {
    responses: { 200: c.MembershipWritten },
    examples: { response: specExamples.left },
  }),
  mobile('post', '/api/mobile/channels/{id}/read-state', 'user', 'Move the read cursor forward (never back)', {
    body: c.ReadStateBody,
    responses: { 200: c.ReadStateWritten },
    examples: { request: { last_seen_post_id: '1200' } },
  }),
  mobile('post', '/api/mobile/channels/{id}/discussion/messages', 'user', 'Post a message to the discussion', {
    body: c.MessageBody,
    responses: { 201: c.MessageWritten },
    errors: [429],
    examples: { request: { body: 'I am waiting for candle confirmation before entry.' } },
  }),
  mobile('patch', '/api/mobile/discussion-messages/{id}', 'user', 'Edit your own message', {
    body: c.MessageBody,
    responses: { 200: c.MessageWritten },
    examples: { request: { body: 'Updated: I will wait for confirmation above resistance.' } },
  }),
  mobile('delete', '/api/mobile/discussion-messages/{id}', 'user', 'Delete your own message (tombstone)', {
    responses: { 200: c.MessageWritten },
  }),

  admin('post', '/api/admin/channels', 'Create a channel', {
    body: c.CreateChannelBody,
    responses: { 201: c.AdminChannelWritten },
  }),
  admin('patch', '/api/admin/channels/{id}', 'Change channel settings', {
    body: c.UpdateChannelBody,
    responses: { 200: c.AdminChannelWritten },
  }),
  admin('post', '/api/admin/channels/{id}/posts', 'Publish a post', {
    body: c.PublishPostBody,
    responses: { 201: c.PostWritten },
  }),
  admin('patch', '/api/admin/posts/{postId}', 'Edit a post', {
    body: c.EditPostBody,
    responses: { 200: c.PostWritten },
  }),
  admin('delete', '/api/admin/posts/{postId}', 'Delete a post (tombstone)', { responses: { 200: c.PostWritten } }),
  admin('post', '/api/admin/posts/{postId}/pin', 'Pin a post', { responses: { 200: c.PostWritten } }),
  admin('delete', '/api/admin/posts/{postId}/pin', 'Unpin a post', { responses: { 200: c.PostWritten } }),
  admin('put', '/api/admin/channels/{id}/discussion', 'Create (201) or change (200) the discussion', {
    body: c.DiscussionBody,
    responses: { 200: c.DiscussionWritten, 201: c.DiscussionWritten },
  }),
  admin('post', '/api/admin/channels/{id}/discussion/messages', 'Post an admin message', {
    body: c.MessageBody,
    responses: { 201: c.MessageWritten },
  }),
  admin('delete', '/api/admin/discussion-messages/{id}', 'Delete a message (tombstone)', {
    responses: { 200: c.MessageWritten },
  }),
  admin('post', '/api/admin/discussion-messages/{id}/restore', 'Restore a deleted message', {
    responses: { 200: c.MessageWritten },
  }),
  admin('put', '/api/admin/channels/{id}/discussion/bans/{userId}', 'Ban a user from the discussion', {
    body: c.BanBody,
    bodyOptional: true,
    responses: { 200: c.BanWritten },
  }),
  admin('delete', '/api/admin/channels/{id}/discussion/bans/{userId}', 'Lift a ban', {
    responses: { 200: c.BanWritten },
  }),
  admin('put', '/api/admin/channels/{id}/discussion/mutes/{userId}', 'Mute a user until a time', {
    body: c.MuteBody,
    responses: { 200: c.MuteWritten },
  }),
  admin('delete', '/api/admin/channels/{id}/discussion/mutes/{userId}', 'Lift a mute', {
    responses: { 200: c.MuteWritten },
  }),

  grant('put', 'entitlements'),
  grant('delete', 'entitlements'),
  grant('put', 'features'),
  grant('delete', 'features'),

  get('/health', 'Operations', 'public', 'Liveness', { responses: { 200: c.Health } }),
  get('/ready', 'Operations', 'public', 'Readiness: stores answer and projections are near the head', {
    responses: { 200: c.Readiness, 503: c.Readiness },
  }),
  get('/metrics', 'Operations', 'ops', 'Prometheus metrics', { responses: { 200: 'text' } }),
  get('/ops/projections', 'Operations', 'ops', "Each projection runner's state", {
    responses: { 200: c.ProjectionsStatus },
  }),
  get('/openapi.json', 'Operations', 'public', 'This document', { responses: { 200: 'json' } }),
  get('/asyncapi.json', 'Operations', 'public', 'The Socket.io contract (AsyncAPI 3.0)', {
    responses: { 200: 'json' },
  }),
  get('/docs', 'Operations', 'public', 'API reference page (rendered from /openapi.json)', {
    responses: { 200: 'html' },
  }),
];

const hasPathParams = (operation: HttpOperation) => operation.path.includes('{');

/** The error statuses a route can answer, from what it takes and who may call it. */
export const errorStatusesOf = (operation: HttpOperation): number[] => {
  if (operation.access === 'public') return [];
  const statuses = new Set<number>([500, ...(operation.errors ?? [])]);
  // A token an optional route cannot verify is ignored (X-Token-Ignored), never a 401.
  if (operation.access !== 'optional') statuses.add(401);
  statuses.add(403);
  // Per-IP and per-principal request budgets (RATE_LIMIT_*_PER_MINUTE) cover every /api route.
  if (operation.path.startsWith('/api/')) statuses.add(429);
  if (hasPathParams(operation)) [400, 404].forEach((status) => statuses.add(status));
  if (operation.query || operation.body) statuses.add(422);
  if (operation.method !== 'get') [409, 413, 415, 422, 503].forEach((status) => statuses.add(status));
  return [...statuses].sort();
};
