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

/** The posts and discussion messages read models as the write side's id index: each document names its owner. */
export const createAppliedIds = (deps: {
  readModels: Pick<ReadModelStore, 'get'>;
  projections: Pick<Projections, 'status'>;
}): AppliedIds => ({
  appliedPosition: (kind) => lowestAppliedPosition(deps.projections, PROJECTION_OF[kind]),
  ownerOf: async (kind, id) => {
    if (kind === 'post') return (await deps.readModels.get<PostDoc>(collections.posts, String(id)))?.channelId;
    return (await deps.readModels.get<DiscussionMessageDoc>(collections.discussionMessages, String(id)))?.discussionId;
  },
});
