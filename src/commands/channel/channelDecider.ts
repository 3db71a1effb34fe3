import type { AccessPolicy } from '../../access/channelAccess';
import { ConflictError, NotFoundError, ValidationError } from '../../errors';
import type { Decider } from '../commandHandler';
import { IdNotIncreasingError } from '../sequence/idNotIncreasingError';
import {
  type Attachment,
  type ChannelEvent,
  type ChannelKind,
  type ChannelUpdated,
  type ChannelVisibility,
  type PostEdited,
  type PostType,
} from './channelEvents';
import {
  evolveChannel,
  initialChannelState,
  type ChannelState,
  type ExistingChannel,
  type PostState,
} from './channelState';
import { assertPostContent } from './postContent';

type Actor = { adminId: string; now: string };

export type CreateChannel = {
  type: 'CreateChannel';
  data: Actor & {
    channelId: number;
    kind: ChannelKind;
    accessPolicy: AccessPolicy;
    visibility: ChannelVisibility;
    title: string;
    description: string | null;
    entitlementKey: string | null;
  };
};
export type UpdateChannel = { type: 'UpdateChannel'; data: Actor & { changes: ChannelUpdated['data']['changes'] } };
export type AttachDiscussion = { type: 'AttachDiscussion'; data: { discussionId: number; now: string } };
export type PublishPost = {
  type: 'PublishPost';
  data: Actor & {
    postId: number;
    type: PostType;
    bodyText: string | null;
    linkUrl: string | null;
    chartPayloadJson: unknown;
    attachments: Attachment[];
  };
};
/** The post's facts in its channel as loaded with the stream (undefined: no such post there). */
type OnPost = { postId: number; post: PostState | undefined };
export type EditPost = { type: 'EditPost'; data: Actor & OnPost & { changes: PostEdited['data']['changes'] } };
export type DeletePost = { type: 'DeletePost'; data: Actor & OnPost };
export type PinPost = { type: 'PinPost'; data: Actor & OnPost };
export type UnpinPost = { type: 'UnpinPost'; data: Actor & OnPost };

export type ChannelCommand =
  CreateChannel | UpdateChannel | AttachDiscussion | PublishPost | EditPost | DeletePost | PinPost | UnpinPost;

const assertGatedHasKey = (accessPolicy: AccessPolicy, entitlementKey: string | null) => {
  if (accessPolicy === 'EXTERNAL_GATED' && entitlementKey === null) {
    throw new ValidationError('An EXTERNAL_GATED channel needs an entitlementKey', [
      { path: '/entitlementKey', message: 'is required for EXTERNAL_GATED' },
    ]);
  }
};

const requireChannel = (state: ChannelState): ExistingChannel => {
  if (!state.exists) throw new NotFoundError('Channel not found');
  return state;
};

/** Archived channels are frozen: nothing is published, edited or pinned; deletion still works. */
const requireActive = (channel: ExistingChannel): void => {
  if (channel.status === 'ARCHIVED') throw new ConflictError('Channel is archived');
};

const requireLivePost = (post: PostState | undefined): PostState => {
  if (!post) throw new NotFoundError('Post not found');
  if (post.isDeleted) throw new ConflictError('Post is deleted');
  return post;
};

/** Keeps only the fields whose value differs from `current`. */
export const changedFields = <T extends object>(current: T, requested: Partial<T>): Partial<T> =>
  Object.fromEntries(
    Object.entries(requested).filter(
      ([key, value]) => JSON.stringify(value) !== JSON.stringify(current[key as keyof T]),
    ),
  ) as Partial<T>;

export const decideChannel = (command: ChannelCommand, state: ChannelState): ChannelEvent[] => {
  switch (command.type) {
    case 'CreateChannel': {
      if (state.exists) throw new ConflictError('Channel already exists');
      const { adminId, now, ...data } = command.data;
      assertGatedHasKey(data.accessPolicy, data.entitlementKey);
      return [
        { type: 'ChannelCreated', data: { ...data, status: 'ACTIVE', createdByAdminId: adminId, createdAt: now } },
      ];
    }
    case 'UpdateChannel': {
      const channel = requireChannel(state);
      const changes = changedFields(channel, command.data.changes);
      const merged = { ...channel, ...changes };
      assertGatedHasKey(merged.accessPolicy, merged.entitlementKey);
      if (Object.keys(changes).length === 0) return [];
      const { adminId, now } = command.data;
      const data = { channelId: channel.channelId, changes, updatedByAdminId: adminId, updatedAt: now };
      return [{ type: 'ChannelUpdated', data }];
    }
    case 'AttachDiscussion': {
      const channel = requireChannel(state);
      if (channel.discussionId === command.data.discussionId) return [];
      if (channel.discussionId !== null) {
        throw new ConflictError('Channel already has a discussion', { discussionId: channel.discussionId });
      }
      const { discussionId, now } = command.data;
      return [{ type: 'DiscussionAttached', data: { channelId: channel.channelId, discussionId, attachedAt: now } }];
    }
    case 'PublishPost': {
      const channel = requireChannel(state);
      requireActive(channel);
      const { adminId, now, ...post } = command.data;
      if (post.postId <= channel.lastPostId) throw new IdNotIncreasingError(post.postId, channel.lastPostId);
      assertPostContent(post);
      const data = { ...post, channelId: channel.channelId, createdByAdminId: adminId, publishedAt: now };
      return [{ type: 'PostPublished', data }];
    }
    case 'EditPost': {
      const channel = requireChannel(state);
      requireActive(channel);
      const { postId, changes: requested, adminId, now } = command.data;
      const post = requireLivePost(command.data.post);
      const changes = changedFields(post, requested);
      assertPostContent({ ...post, ...changes });
      if (Object.keys(changes).length === 0) return [];
      const data = { postId, channelId: channel.channelId, changes, editedByAdminId: adminId, editedAt: now };
      return [{ type: 'PostEdited', data }];
    }
    case 'DeletePost': {
      const channel = requireChannel(state);
      const { postId, adminId, now } = command.data;
      const post = requireLivePost(command.data.post);
      const base = { postId, channelId: channel.channelId };
      // A deleted post does not stay pinned; readers get the unpin as its own fact.
      const unpin: ChannelEvent[] = post.isPinned
        ? [{ type: 'PostUnpinned', data: { ...base, unpinnedByAdminId: adminId, unpinnedAt: now } }]
        : [];
      return [...unpin, { type: 'PostDeleted', data: { ...base, deletedByAdminId: adminId, deletedAt: now } }];
    }
    case 'PinPost': {
      const channel = requireChannel(state);
      requireActive(channel);
      const { postId, adminId, now } = command.data;
      if (requireLivePost(command.data.post).isPinned) return [];
      return [
        { type: 'PostPinned', data: { postId, channelId: channel.channelId, pinnedByAdminId: adminId, pinnedAt: now } },
      ];
    }
    case 'UnpinPost': {
      const channel = requireChannel(state);
      requireActive(channel);
      const { postId, adminId, now } = command.data;
      if (!requireLivePost(command.data.post).isPinned) return [];
      const data = { postId, channelId: channel.channelId, unpinnedByAdminId: adminId, unpinnedAt: now };
      return [{ type: 'PostUnpinned', data }];
    }
    default: {
      const unexpected: never = command;
      return unexpected;
    }
  }
};

export const channelDecider: Decider<ChannelState, ChannelCommand, ChannelEvent> = {
  decide: decideChannel,
  evolve: evolveChannel,
  initialState: initialChannelState,
};
