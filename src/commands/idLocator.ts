import type { EventStore } from '../eventStore/eventStore';
import { discussionMessagesProjection } from '../projections/discussionMessagesProjection';
import { collections } from '../projections/documents';
import { postsProjection } from '../projections/postsProjection';
import type { ReadModelStore } from '../readModels/readModelStore';

export type IdLocator = {
  /** The channel a post id belongs to, or undefined when no such post was ever published. */
  channelOfPost: (postId: number) => Promise<number | undefined>;
  /** The discussion a message id belongs to, or undefined when no such message was ever posted. */
  discussionOfMessage: (messageId: number) => Promise<number | undefined>;
};

export type IdLocatorDeps = {
  eventStore: Pick<EventStore, 'readAll'>;
  /** The posts and discussion messages read models: each document names its stream's owner. */
  readModels: Pick<ReadModelStore, 'get'>;
  /** How far a projection has applied the log in this process; undefined when it does not run here. */
  appliedPosition: (projection: string) => bigint | undefined;
};

const PAGE = 1000;

/** Where one kind of id lives: its read model, the projection that fills it, and the event that creates it. */
type IdKind = { projection: string; collection: string; eventType: string; idField: string; ownerField: string };

const POSTS: IdKind = {
  projection: postsProjection.name,
  collection: collections.posts,
  eventType: 'PostPublished',
  idField: 'postId',
  ownerField: 'channelId',
};
const MESSAGES: IdKind = {
  projection: discussionMessagesProjection.name,
  collection: collections.discussionMessages,
  eventType: 'DiscussionMessagePosted',
  idField: 'messageId',
  ownerField: 'discussionId',
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
  const scanFor = async (kind: IdKind, id: number, after: bigint | undefined) => {
    for (let position = after; ;) {
      const page = await deps.eventStore.readAll({
        after: position,
        maxCount: PAGE,
        filter: { eventTypes: [kind.eventType] },
      });
      const found = page.find((event) => (event.data as Fields)[kind.idField] === id);
      if (found || page.length < PAGE) return found && ((found.data as Fields)[kind.ownerField] as number);
      position = page[page.length - 1].position;
    }
  };

  const locate = (kind: IdKind) => async (id: number) => {
    // The position first: whatever it covers is in the read model by the time that is read.
    const applied = deps.appliedPosition(kind.projection);
    const doc = await deps.readModels.get<Fields>(kind.collection, String(id));
    if (doc) return doc[kind.ownerField] as number;
    return scanFor(kind, id, applied);
  };

  return { channelOfPost: locate(POSTS), discussionOfMessage: locate(MESSAGES) };
};
