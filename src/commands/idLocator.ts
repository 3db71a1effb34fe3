import type { EventStore } from '../eventStore/eventStore';

/** The ids a route may name without their stream. */
export type LocatedId = 'post' | 'message';

/**
 * The read side's index of ids (port): the owner of every id its projection has applied,
 * and how far that is. src/projections/appliedIds.ts implements it over the read models.
 */
export type AppliedIds = {
  /** Up to which log position `ownerOf` answers for this kind; undefined when unknown here. */
  appliedPosition: (kind: LocatedId) => bigint | undefined;
  /** The channel of a post, the discussion of a message, once applied; else undefined. */
  ownerOf: (kind: LocatedId, id: number) => Promise<number | undefined>;
};

export type IdLocator = {
  /** The channel a post id belongs to, or undefined when no such post was ever published. */
  channelOfPost: (postId: number) => Promise<number | undefined>;
  /** The discussion a message id belongs to, or undefined when no such message was ever posted. */
  discussionOfMessage: (messageId: number) => Promise<number | undefined>;
};

export type IdLocatorDeps = {
  eventStore: Pick<EventStore, 'readAll'>;
  appliedIds: AppliedIds;
};

const PAGE = 1000;

/** The event that creates each kind of id, and the fields naming the id and its owner. */
const CREATED_BY: Record<LocatedId, { eventType: string; idField: string; ownerField: string }> = {
  post: { eventType: 'PostPublished', idField: 'postId', ownerField: 'channelId' },
  message: { eventType: 'DiscussionMessagePosted', idField: 'messageId', ownerField: 'discussionId' },
};

type Fields = Record<string, unknown>;

/**
 * Routes that take only a post or message id need the stream that holds it. The read
 * models answer for every id their projection has applied; ids appended after that (by
 * this process a moment ago, or by another one) are in the short stretch of log after the
 * projection's position, which is read for them. Nothing is held in memory per id, and
 * the stream's own decider still checks the id: the read model only routes.
 */
export const createIdLocator = (deps: IdLocatorDeps): IdLocator => {
  const scanFor = async (kind: LocatedId, id: number, after: bigint | undefined) => {
    const { eventType, idField, ownerField } = CREATED_BY[kind];
    for (let position = after; ;) {
      const page = await deps.eventStore.readAll({
        after: position,
        maxCount: PAGE,
        filter: { eventTypes: [eventType] },
      });
      const found = page.find((event) => (event.data as Fields)[idField] === id);
      if (found || page.length < PAGE) return found && ((found.data as Fields)[ownerField] as number);
      position = page[page.length - 1].position;
    }
  };

  const locate = (kind: LocatedId) => async (id: number) => {
    // The position first: whatever it covers is in the read model by the time that is read.
    const applied = deps.appliedIds.appliedPosition(kind);
    return (await deps.appliedIds.ownerOf(kind, id)) ?? scanFor(kind, id, applied);
  };

  return { channelOfPost: locate('post'), discussionOfMessage: locate('message') };
};
