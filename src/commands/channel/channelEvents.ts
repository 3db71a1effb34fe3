import type { AccessPolicy } from '../../access/channelAccess';

export type ChannelKind = 'BROADCAST' | 'GROUP';
export type ChannelVisibility = 'PUBLIC' | 'PRIVATE';
export type ChannelStatus = 'ACTIVE' | 'ARCHIVED';
export type PostType = 'TEXT' | 'LINK' | 'CHART' | 'MEDIA';

export type Attachment = {
  id: string;
  storageKey: string;
  fileName: string;
  mimeType: string;
  sizeBytes: number;
  displayOrder: number;
};

export type ChannelCreated = {
  type: 'ChannelCreated';
  data: {
    channelId: number;
    kind: ChannelKind;
    accessPolicy: AccessPolicy;
    visibility: ChannelVisibility;
    status: ChannelStatus;
    title: string;
    description: string | null;
    entitlementKey: string | null;
    createdByAdminId: string;
    createdAt: string;
  };
};

export type ChannelUpdated = {
  type: 'ChannelUpdated';
  data: {
    channelId: number;
    /** Only the fields that changed. */
    changes: Partial<{
      title: string;
      description: string | null;
      visibility: ChannelVisibility;
      status: ChannelStatus;
      accessPolicy: AccessPolicy;
      entitlementKey: string | null;
    }>;
    updatedByAdminId: string;
    updatedAt: string;
  };
};

/** The discussion of this channel was assigned; its own stream holds the rest. */
export type DiscussionAttached = {
  type: 'DiscussionAttached';
  data: { channelId: number; discussionId: number; attachedAt: string };
};

export type PostPublished = {
  type: 'PostPublished';
  data: {
    postId: number;
    channelId: number;
    type: PostType;
    bodyText: string | null;
    linkUrl: string | null;
    chartPayloadJson: unknown;
    attachments: Attachment[];
    createdByAdminId: string;
    publishedAt: string;
  };
};

export type PostEdited = {
  type: 'PostEdited';
  data: {
    postId: number;
    channelId: number;
    changes: Partial<{
      type: PostType;
      bodyText: string | null;
      linkUrl: string | null;
      chartPayloadJson: unknown;
      attachments: Attachment[];
    }>;
    editedByAdminId: string;
    editedAt: string;
  };
};

/** Tombstone: the post stays in the log and in read models, marked deleted. */
export type PostDeleted = {
  type: 'PostDeleted';
  data: { postId: number; channelId: number; deletedByAdminId: string; deletedAt: string };
};

export type PostPinned = {
  type: 'PostPinned';
  data: { postId: number; channelId: number; pinnedByAdminId: string; pinnedAt: string };
};

export type PostUnpinned = {
  type: 'PostUnpinned';
  data: { postId: number; channelId: number; unpinnedByAdminId: string; unpinnedAt: string };
};

export type ChannelEvent =
  | ChannelCreated
  | ChannelUpdated
  | DiscussionAttached
  | PostPublished
  | PostEdited
  | PostDeleted
  | PostPinned
  | PostUnpinned;
