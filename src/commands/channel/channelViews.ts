import type { AdminChannel, Post } from '../../contract';
import { presentPost } from '../../http/presenters';
import type { ExistingChannel, PostState } from './channelState';

/** The admin's view of a channel after a write: the mobile fields plus the settings only admins see. */
export const toChannelView = (channel: ExistingChannel): AdminChannel => ({
  id: channel.channelId,
  kind: channel.kind,
  accessPolicy: channel.accessPolicy,
  entitlementKey: channel.entitlementKey,
  status: channel.status,
  visibility: channel.visibility,
  title: channel.title,
  description: channel.description,
  discussionId: channel.discussionId,
  createdByAdminId: channel.createdByAdminId,
  createdAt: channel.createdAt,
  updatedAt: channel.updatedAt,
});

/** The spec's post detail shape, through the same presenter as the mobile queries. */
export const toPostView = (channelId: number, post: PostState, mediaBaseUrl: string): Post =>
  presentPost({ ...post, id: post.postId, channelId, createdAt: post.publishedAt }, mediaBaseUrl);
