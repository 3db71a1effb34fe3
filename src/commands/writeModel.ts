import type { EventMetadata, EventStore } from '../eventStore/eventStore';
import { channelDecider } from './channel/channelDecider';
import { createCommandHandler } from './commandHandler';
import { discussionDecider } from './discussion/discussionDecider';
import { createIdLocator, type AppliedIds } from './idLocator';
import { membershipDecider } from './membership/membershipDecider';
import { createIdAllocator, type BlockSizes } from './sequence/idAllocator';
import { sequenceDecider, type StreamBlockSizes } from './sequence/sequenceDecider';
import { userAccessDecider } from './userAccess/userAccessDecider';

/** Everything a use case needs on the write side of one process. */
export const createWriteModel = (deps: {
  eventStore: EventStore;
  now: () => Date;
  /** The read side's id index routes id-only commands (see idLocator). */
  appliedIds: AppliedIds;
  blockSizes?: Partial<BlockSizes>;
  streamBlockSizes?: Partial<StreamBlockSizes>;
}) => {
  const { eventStore, now } = deps;
  // Channel and discussion states hold their posts and messages (roughly 0.5–1 KB each):
  // their caches are bounded by events held, about 200-250 MB each at most.
  const channels = createCommandHandler(eventStore, channelDecider, { cacheSize: 1000, cacheEvents: 200_000 });
  const discussions = createCommandHandler(eventStore, discussionDecider, { cacheSize: 1000, cacheEvents: 500_000 });
  const memberships = createCommandHandler(eventStore, membershipDecider);
  const userAccess = createCommandHandler(eventStore, userAccessDecider);
  const sequences = createCommandHandler(eventStore, sequenceDecider);
  const ids = createIdAllocator({
    handler: sequences,
    now,
    blockSizes: deps.blockSizes,
    streamBlockSizes: deps.streamBlockSizes,
  });
  const locator = createIdLocator({ eventStore, appliedIds: deps.appliedIds });
  return { eventStore, now, channels, discussions, memberships, userAccess, ids, locator };
};

export type WriteModel = ReturnType<typeof createWriteModel>;

/** What every use case receives about the request besides its input. */
export type CommandContext = { model: WriteModel; metadata: EventMetadata };

/** The outcome of a use case: the view the route returns and the log position to wait for. */
export type Written<Data> = { data: Data; position: bigint };
