import type { Attachment } from '../commands/channel/channelEvents';
import type { ChannelDoc, DiscussionDoc, DiscussionMessageDoc, PostDoc } from '../projections/documents';
import { resolveMediaUrl } from '../media/mediaUrl';
import type {
  Attachment as PresentedAttachment,
  Discussion,
  MessageCompact,
  MessageFull,
  MobileChannel,
  Post,
} from '../contract';

/** The API shapes of the spec, built from read-model documents; their schemas live in src/contract. */

export const presentChannel = (channel: ChannelDoc, join: { isJoined: boolean; isLocked: boolean }): MobileChannel => ({
  id: channel.id,
  kind: channel.kind,
  accessPolicy: channel.accessPolicy,
  status: channel.status,
  visibility: channel.visibility,
  title: channel.title,
  description: channel.description,
  createdAt: channel.createdAt,
  updatedAt: channel.updatedAt,
  isJoined: join.isJoined,
  isLocked: join.isLocked,
});

const presentAttachment =
  (mediaBaseUrl: string) =>
  (attachment: Attachment): PresentedAttachment => ({
    id: attachment.id,
    storageKey: attachment.storageKey,
    url: resolveMediaUrl(mediaBaseUrl, attachment.storageKey),
    fileName: attachment.fileName,
    mimeType: attachment.mimeType,
    sizeBytes: attachment.sizeBytes,
    displayOrder: attachment.displayOrder,
  });

/** In display order, each with its resolved `url` (REST and realtime alike). */
export const presentAttachments = (attachments: Attachment[], mediaBaseUrl: string): PresentedAttachment[] =>
  [...attachments].sort((a, b) => a.displayOrder - b.displayOrder).map(presentAttachment(mediaBaseUrl));

/** Post ids are strings (the paging cursor); a deleted post is a tombstone with its content blanked. */
export const presentPost = (post: PostDoc, mediaBaseUrl: string): Post => ({
  id: String(post.id),
  channelId: post.channelId,
  publishedAt: post.publishedAt,
  createdByAdminId: post.createdByAdminId,
  type: post.type,
  bodyText: post.isDeleted ? null : post.bodyText,
  linkUrl: post.isDeleted ? null : post.linkUrl,
  chartPayloadJson: post.isDeleted ? null : post.chartPayloadJson,
  isPinned: post.isPinned,
  pinnedAt: post.pinnedAt,
  isDeleted: post.isDeleted,
  deletedAt: post.deletedAt,
  attachments: post.isDeleted ? [] : presentAttachments(post.attachments, mediaBaseUrl),
  createdAt: post.createdAt,
  updatedAt: post.updatedAt,
});

export const presentDiscussion = (discussion: DiscussionDoc): Discussion => ({
  id: discussion.id,
  channelId: discussion.channelId,
  title: discussion.title,
  isEnabled: discussion.isEnabled,
  requiredFeatureKey: discussion.requiredFeatureKey,
  slowModeEnabled: discussion.slowModeEnabled,
  slowModeIntervalSeconds: discussion.slowModeIntervalSeconds,
  createdByAdminId: discussion.createdByAdminId,
  createdAt: discussion.createdAt,
  updatedAt: discussion.updatedAt,
});

/** Deleted messages stay in the list as tombstones (body blanked) so clients can remove them. */
export const presentMessageFull = (message: Omit<DiscussionMessageDoc, 'channelId'>): MessageFull => ({
  id: message.id,
  discussionId: message.discussionId,
  authorType: message.authorType,
  authorUserId: message.authorUserId,
  authorAdminId: message.authorAdminId,
  body: message.isDeleted ? '' : message.body,
  isDeleted: message.isDeleted,
  deletedAt: message.deletedAt,
  deletedByAdminId: message.deletedByAdminId,
  editedAt: message.editedAt,
  editedByUserId: message.editedByUserId,
  editedByAdminId: message.editedByAdminId,
  createdAt: message.createdAt,
  updatedAt: message.updatedAt,
});

export const presentMessageCompact = (message: DiscussionMessageDoc): MessageCompact => ({
  id: message.id,
  authorType: message.authorType,
  authorUserId: message.authorUserId,
  authorAdminId: message.authorAdminId,
  body: message.isDeleted ? '' : message.body,
  isDeleted: message.isDeleted,
  createdAt: message.createdAt,
});
