import type { Discussion, MessageFull } from '../../contract';
import { presentDiscussion, presentMessageFull } from '../../http/presenters';
import type { ExistingDiscussion, MessageState } from './discussionState';

/** The spec's discussion shape, through the same presenter as the mobile queries. */
export const toDiscussionView = (discussion: ExistingDiscussion): Discussion =>
  presentDiscussion({ ...discussion, id: discussion.discussionId });

/** The spec's "full" discussion message item, through the same presenter as the mobile queries. */
export const toMessageView = (discussionId: number, message: MessageState): MessageFull =>
  presentMessageFull({ ...message, id: message.messageId, discussionId });
