export type DiscussionSettings = {
  title: string;
  isEnabled: boolean;
  requiredFeatureKey: string | null;
  slowModeEnabled: boolean;
  slowModeIntervalSeconds: number | null;
};

export type DiscussionCreated = {
  type: 'DiscussionCreated';
  data: DiscussionSettings & { discussionId: number; channelId: number; createdByAdminId: string; createdAt: string };
};

export type DiscussionUpdated = {
  type: 'DiscussionUpdated';
  data: {
    discussionId: number;
    channelId: number;
    /** Only the fields that changed. */
    changes: Partial<DiscussionSettings>;
    updatedByAdminId: string;
    updatedAt: string;
  };
};

export type DiscussionMessagePosted = {
  type: 'DiscussionMessagePosted';
  data: {
    messageId: number;
    discussionId: number;
    channelId: number;
    authorType: 'USER' | 'ADMIN';
    authorUserId: string | null;
    authorAdminId: string | null;
    body: string;
    createdAt: string;
  };
};

/** Who changed a message: exactly one user or one admin. */
export type Editor = { type: 'USER' | 'ADMIN'; id: string };

/**
 * Schema version 2 (see eventVersions/eventVersions.ts): the editor is one tagged field.
 * Version 1 (discussionEventsV1.ts) carried two nullable ids, which allowed both or neither.
 */
export type DiscussionMessageEdited = {
  type: 'DiscussionMessageEdited';
  data: {
    messageId: number;
    discussionId: number;
    channelId: number;
    body: string;
    editedBy: Editor;
    editedAt: string;
  };
};

/** The editor as the API and the read models spell it (the spec's two nullable ids). */
export const editorIds = (editor: Editor) => ({
  editedByUserId: editor.type === 'USER' ? editor.id : null,
  editedByAdminId: editor.type === 'ADMIN' ? editor.id : null,
});

/** Tombstone: the message stays, marked deleted; an admin can restore it. */
export type DiscussionMessageDeleted = {
  type: 'DiscussionMessageDeleted';
  data: {
    messageId: number;
    discussionId: number;
    channelId: number;
    deletedByUserId: string | null;
    deletedByAdminId: string | null;
    deletedAt: string;
  };
};

export type DiscussionMessageRestored = {
  type: 'DiscussionMessageRestored';
  data: { messageId: number; discussionId: number; channelId: number; restoredByAdminId: string; restoredAt: string };
};

export type UserBanned = {
  type: 'UserBanned';
  data: {
    discussionId: number;
    channelId: number;
    userId: string;
    until: string | null;
    reason: string | null;
    bannedByAdminId: string;
    bannedAt: string;
  };
};

export type UserUnbanned = {
  type: 'UserUnbanned';
  data: { discussionId: number; channelId: number; userId: string; unbannedByAdminId: string; unbannedAt: string };
};

export type UserMuted = {
  type: 'UserMuted';
  data: {
    discussionId: number;
    channelId: number;
    userId: string;
    until: string;
    mutedByAdminId: string;
    mutedAt: string;
  };
};

export type UserUnmuted = {
  type: 'UserUnmuted';
  data: { discussionId: number; channelId: number; userId: string; unmutedByAdminId: string; unmutedAt: string };
};

export type DiscussionEvent =
  | DiscussionCreated
  | DiscussionUpdated
  | DiscussionMessagePosted
  | DiscussionMessageEdited
  | DiscussionMessageDeleted
  | DiscussionMessageRestored
  | UserBanned
  | UserUnbanned
  | UserMuted
  | UserUnmuted;
