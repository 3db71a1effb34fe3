import type { EventStore } from '../../eventStore/eventStore';
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

const PAGE = 1000;
const MESSAGE_EVENTS: Array<DiscussionEvent['type']> = [
  'DiscussionMessagePosted',
  'DiscussionMessageEdited',
  'DiscussionMessageDeleted',
  'DiscussionMessageRestored',
];

/**
 * The discussion state holds no messages (it would grow with them, and so would its
 * snapshots): a command on one message loads it here. The read model has it as of its
 * projection's position; the log after that position (short while the projector keeps up)
 * brings it up to the head, so a message posted or changed a moment ago, by this process
 * or another, is found. Each change sets its fields outright, so applying a change the
 * read model already holds again is harmless. Read after the stream's state, this is at
 * least as new as that state; if newer, the append's expected revision refuses the decision.
 */
export const createMessageFacts = (deps: {
  eventStore: Pick<EventStore, 'readAll'>;
  appliedIds: Pick<AppliedIds, 'appliedPosition'> & AppliedMessages;
}): MessageFacts => ({
  load: async (discussionId, messageId) => {
    // The position first: whatever it covers is in the read model by the time that is read.
    const applied = deps.appliedIds.appliedPosition('message');
    const fromReadModel = await deps.appliedIds.messageOf(messageId);
    let message: MessageState | undefined;
    if (fromReadModel?.discussionId === discussionId) {
      const { discussionId: _discussionId, ...state } = fromReadModel;
      message = state;
    }
    const stream = streams.discussion(discussionId);
    const fold = evolveMessage(messageId);
    for (let after = applied; ;) {
      const filter = { streamNamePrefixes: [stream], eventTypes: MESSAGE_EVENTS };
      const page = await deps.eventStore.readAll({ after, maxCount: PAGE, filter });
      for (const event of page) {
        if (event.streamName === stream) message = fold(message, event as unknown as DiscussionEvent);
      }
      if (page.length < PAGE) return message;
      after = page[page.length - 1].position;
    }
  },
});
