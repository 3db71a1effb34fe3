import type { EventMetadata, EventStore } from '../eventStore/eventStore';
import { channelDecider } from './channel/channelDecider';
import { createCommandHandler } from './commandHandler';
import { discussionDecider } from './discussion/discussionDecider';
import { createMessageFacts, type AppliedMessages } from './discussion/messageFacts';
import { createPostFacts, type AppliedPosts } from './channel/postFacts';
import { createIdLocator, type AppliedIds } from './idLocator';
import { membershipDecider } from './membership/membershipDecider';
import { createIdAllocator, type BlockSizes } from './sequence/idAllocator';
import { sequenceDecider, type StreamBlockSizes } from './sequence/sequenceDecider';
import { userAccessDecider } from './userAccess/userAccessDecider';
import { channelHandlerOptions, discussionHandlerOptions } from './snapshots/handlerOptions';
import type { SnapshotStore } from './snapshots/snapshotStore';

/** What the write side reads from the read models: the id index and single posts and messages (appliedFacts.ts). */
export type AppliedReadModels = AppliedIds & AppliedMessages & AppliedPosts;

/** Everything a use case needs on the write side of one process. */
export const createWriteModel = (deps: {
  eventStore: EventStore;
  now: () => Date;
  /** The read side's id index routes id-only commands (see idLocator) and holds posts and messages. */
  appliedIds: AppliedReadModels;
  blockSizes?: Partial<BlockSizes>;
  streamBlockSizes?: Partial<StreamBlockSizes>;
  /** Where the command states' snapshots are kept; none without. */
  snapshots?: SnapshotStore;
  onSnapshotError?: (error: unknown) => void;
}) => {
  const { eventStore, now } = deps;
  const onError = deps.onSnapshotError;
  const channels = createCommandHandler(eventStore, channelDecider, channelHandlerOptions(deps.snapshots, onError));
  const posts = createPostFacts({ eventStore, appliedIds: deps.appliedIds });
  const discussions = createCommandHandler(
    eventStore,
    discussionDecider,
    discussionHandlerOptions(deps.snapshots, onError),
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
  return { eventStore, now, channels, posts, discussions, messages, memberships, userAccess, ids, locator };
};

export type WriteModel = ReturnType<typeof createWriteModel>;

/** What every use case receives about the request besides its input. */
export type CommandContext = { model: WriteModel; metadata: EventMetadata };

/** The outcome of a use case: the view the route returns and the log position to wait for. */
export type Written<Data> = { data: Data; position: bigint };
