import type { DiscussionMessageEdited } from './discussionEvents';

/** DiscussionMessageEdited as written before schema version 2: the editor as two nullable ids. */
export type DiscussionMessageEditedV1 = {
  messageId: number;
  discussionId: number;
  channelId: number;
  body: string;
  editedByUserId: string | null;
  editedByAdminId: string | null;
  editedAt: string;
};

/** Version 1 -> 2. Every v1 edit was a user's own (only users could edit), but an admin id is honoured too. */
export const upcastMessageEditedV1 = (data: DiscussionMessageEditedV1): DiscussionMessageEdited['data'] => {
  const { editedByUserId, editedByAdminId, ...rest } = data;
  if (editedByAdminId !== null) return { ...rest, editedBy: { type: 'ADMIN', id: editedByAdminId } };
  if (editedByUserId === null)
    throw new Error(`DiscussionMessageEdited v1 of message ${data.messageId} names no editor`);
  return { ...rest, editedBy: { type: 'USER', id: editedByUserId } };
};
