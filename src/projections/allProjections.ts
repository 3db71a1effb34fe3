import { channelsProjection } from './channelsProjection';
import { discussionMessagesProjection } from './discussionMessagesProjection';
import { discussionRestrictionsProjection } from './discussionRestrictionsProjection';
import { discussionsProjection } from './discussionsProjection';
import { membershipsProjection } from './membershipsProjection';
import type { Projection } from './projection';
import { postsProjection } from './postsProjection';
import { readStatesProjection } from './readStatesProjection';
import { userAccessProjection } from './userAccessProjection';

/** Every read model the service maintains. */
export const allProjections: Projection[] = [
  channelsProjection,
  postsProjection,
  discussionsProjection,
  discussionMessagesProjection,
  discussionRestrictionsProjection,
  membershipsProjection,
  userAccessProjection,
  readStatesProjection,
];
