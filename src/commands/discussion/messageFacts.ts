import type { EventStore } from '../../eventStore/eventStore';
import { foldAfterApplied } from '../appliedFacts';
import type { AppliedIds } from '../idLocator';
import { streams } from '../streams';
import type { DiscussionEvent } from './discussionEvents';
import { evolveMessage, type MessageState } from './discussionState';

/** A message as the discussion messages read model holds it, with its discussion. */
export type AppliedMessage = MessageState & { discussionId: number };

/** The messages read model as the write side reads it (port; src/projections/appliedIds.ts). */
export type AppliedMessages = {
  messageOf: (messageId: number) => Promise<AppliedMessage | undefined>;
};

export type MessageFacts = {
  /** The message as its discussion's stream has it now; undefined when the discussion holds no such message. */
  load: (discussionId: number, messageId: number) => Promise<MessageState | undefined>;
};

const MESSAGE_EVENTS: Array<DiscussionEvent['type']> = [
  'DiscussionMessagePosted',
  'DiscussionMessageEdited',
  'DiscussionMessageDeleted',
  'DiscussionMessageRestored',
];

/** One message of a discussion, loaded for a command on it (see appliedFacts.ts). */
export const createMessageFacts = (deps: {
  eventStore: Pick<EventStore, 'readAll'>;
  appliedIds: Pick<AppliedIds, 'appliedPosition'> & AppliedMessages;
}): MessageFacts => ({
  load: async (discussionId, messageId) => {
    // The position first: whatever it covers is in the read model by the time that is read.
    const after = deps.appliedIds.appliedPosition('message');
    const applied = await deps.appliedIds.messageOf(messageId);
    let fromReadModel: MessageState | undefined;
    if (applied?.discussionId === discussionId) {
      const { discussionId: _discussionId, ...message } = applied;
      fromReadModel = message;
    }
    return foldAfterApplied({
      eventStore: deps.eventStore,
      after,
      streamName: streams.discussion(discussionId),
      eventTypes: MESSAGE_EVENTS,
      fromReadModel,
      fold: evolveMessage(messageId),
    });
  },
});
