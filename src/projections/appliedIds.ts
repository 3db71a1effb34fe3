import type { AppliedPosts } from '../commands/channel/postFacts';
import type { AppliedMessages } from '../commands/discussion/messageFacts';
import type { AppliedIds, LocatedId } from '../commands/idLocator';
import type { ReadModelStore } from '../readModels/readModelStore';
import { discussionMessagesProjection } from './discussionMessagesProjection';
import { collections, type DiscussionMessageDoc, type PostDoc } from './documents';
import type { Projections } from './projections';
import { postsProjection } from './postsProjection';

/** The lowest position of a projection's runners here (two while a version switch is under way). */
const lowestAppliedPosition = (projections: Pick<Projections, 'status'>, projection: string) => {
  const positions = projections
    .status()
    .filter((status) => status.name === projection)
    .map((status) => status.appliedPosition);
  if (positions.length === 0 || positions.includes(undefined)) return undefined;
  return (positions as bigint[]).reduce((lowest, position) => (position < lowest ? position : lowest));
};

const PROJECTION_OF: Record<LocatedId, string> = {
  post: postsProjection.name,
  message: discussionMessagesProjection.name,
};

/** A message document's write-side facts, without the store's own fields. */
const messageFactsOf = (doc: DiscussionMessageDoc) => ({
  messageId: doc.id,
  discussionId: doc.discussionId,
  authorType: doc.authorType,
  authorUserId: doc.authorUserId,
  authorAdminId: doc.authorAdminId,
  body: doc.body,
  isDeleted: doc.isDeleted,
  deletedAt: doc.deletedAt,
  deletedByUserId: doc.deletedByUserId,
  deletedByAdminId: doc.deletedByAdminId,
  editedAt: doc.editedAt,
  editedByUserId: doc.editedByUserId,
  editedByAdminId: doc.editedByAdminId,
  createdAt: doc.createdAt,
  updatedAt: doc.updatedAt,
});

/** A post document's write-side facts, without the store's own fields. */
const postFactsOf = (doc: PostDoc) => ({
  postId: doc.id,
  channelId: doc.channelId,
  type: doc.type,
  bodyText: doc.bodyText,
  linkUrl: doc.linkUrl,
  chartPayloadJson: doc.chartPayloadJson,
  attachments: doc.attachments,
  createdByAdminId: doc.createdByAdminId,
  publishedAt: doc.publishedAt,
  updatedAt: doc.updatedAt,
  isPinned: doc.isPinned,
  pinnedAt: doc.pinnedAt,
  isDeleted: doc.isDeleted,
  deletedAt: doc.deletedAt,
});

/**
 * The posts and discussion messages read models as the write side's id index (each
 * document names its owner) and as its source of a post's or message's facts (appliedFacts.ts).
 */
export const createAppliedIds = (deps: {
  readModels: Pick<ReadModelStore, 'get'>;
  projections: Pick<Projections, 'status'>;
}): AppliedIds & AppliedMessages & AppliedPosts => ({
  appliedPosition: (kind) => lowestAppliedPosition(deps.projections, PROJECTION_OF[kind]),
  ownerOf: async (kind, id) => {
    if (kind === 'post') return (await deps.readModels.get<PostDoc>(collections.posts, String(id)))?.channelId;
    return (await deps.readModels.get<DiscussionMessageDoc>(collections.discussionMessages, String(id)))?.discussionId;
  },
  postOf: async (postId) => {
    const doc = await deps.readModels.get<PostDoc>(collections.posts, String(postId));
    return doc && postFactsOf(doc);
  },
  messageOf: async (messageId) => {
    const doc = await deps.readModels.get<DiscussionMessageDoc>(collections.discussionMessages, String(messageId));
    return doc && messageFactsOf(doc);
  },
});
