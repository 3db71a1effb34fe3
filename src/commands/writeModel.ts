import type { EventMetadata, EventStore } from '../eventStore/eventStore';
import { channelDecider } from './channel/channelDecider';
import { createCommandHandler } from './commandHandler';
import { discussionDecider } from './discussion/discussionDecider';
import type { DiscussionState } from './discussion/discussionState';
import { discussionSnapshotCodec } from './discussion/discussionSnapshot';
import { createMessageFacts, type AppliedMessages } from './discussion/messageFacts';
import { createIdLocator, type AppliedIds } from './idLocator';
import { membershipDecider } from './membership/membershipDecider';
import { createIdAllocator, type BlockSizes } from './sequence/idAllocator';
import { sequenceDecider, type StreamBlockSizes } from './sequence/sequenceDecider';
import { userAccessDecider } from './userAccess/userAccessDecider';
import type { SnapshotStore } from './snapshots/snapshotStore';

/** A discussion's state is written to a snapshot every this many events. */
export const DISCUSSION_SNAPSHOT_EVERY = 500;

/** The discussion handler's options: the bench builds its handler with the same. */
export const discussionHandlerOptions = (snapshots: SnapshotStore | undefined, onError?: (error: unknown) => void) => ({
  cacheSize: 10_000,
  // The state holds no messages: it weighs its bans, mutes and recent posters.
  stateWeight: (state: DiscussionState) =>
    state.exists
      ? 1 + state.lastUserMessageAt.size + Object.keys(state.bans).length + Object.keys(state.mutes).length
      : 1,
  cacheEvents: 5_000_000,
  snapshots: snapshots && {
    store: snapshots,
    codec: discussionSnapshotCodec,
    every: DISCUSSION_SNAPSHOT_EVERY,
    onError,
  },
});

/** Everything a use case needs on the write side of one process. */
export const createWriteModel = (deps: {
  eventStore: EventStore;
  now: () => Date;
  /** The read side's id index routes id-only commands (see idLocator) and holds messages (messageFacts). */
  appliedIds: AppliedIds & AppliedMessages;
  blockSizes?: Partial<BlockSizes>;
  streamBlockSizes?: Partial<StreamBlockSizes>;
  /** Where the command states' snapshots are kept; none without. */
  snapshots?: SnapshotStore;
  onSnapshotError?: (error: unknown) => void;
}) => {
  const { eventStore, now } = deps;
  // Channel states hold their posts (roughly 0.5–1 KB each): their cache is bounded by events held, about 200 MB.
  const channels = createCommandHandler(eventStore, channelDecider, { cacheSize: 1000, cacheEvents: 200_000 });
  const discussions = createCommandHandler(
    eventStore,
    discussionDecider,
    discussionHandlerOptions(deps.snapshots, deps.onSnapshotError),
  );
  const messages = createMessageFacts({ eventStore, appliedIds: deps.appliedIds });
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
  return { eventStore, now, channels, discussions, messages, memberships, userAccess, ids, locator };
};

export type WriteModel = ReturnType<typeof createWriteModel>;

/** What every use case receives about the request besides its input. */
export type CommandContext = { model: WriteModel; metadata: EventMetadata };

/** The outcome of a use case: the view the route returns and the log position to wait for. */
export type Written<Data> = { data: Data; position: bigint };
