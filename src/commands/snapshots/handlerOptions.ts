import { channelSnapshotCodec } from '../channel/channelSnapshot';
import type { ChannelState } from '../channel/channelState';
import type { CommandHandlerOptions } from '../commandHandler';
import { discussionSnapshotCodec } from '../discussion/discussionSnapshot';
import type { DiscussionState } from '../discussion/discussionState';
import type { SnapshotStore } from './snapshotStore';

/** A channel's or discussion's state is written to a snapshot every this many events. */
export const SNAPSHOT_EVERY = 500;

type OnError = ((error: unknown) => void) | undefined;

/**
 * The discussion handler's options (the bench builds its handler with the same). The state
 * holds no messages: it weighs its bans, mutes and recent posters.
 */
export const discussionHandlerOptions = (
  snapshots: SnapshotStore | undefined,
  onError?: OnError,
): CommandHandlerOptions<DiscussionState> => ({
  cacheSize: 10_000,
  stateWeight: (state) =>
    state.exists
      ? 1 + state.lastUserMessageAt.size + Object.keys(state.bans).length + Object.keys(state.mutes).length
      : 1,
  cacheEvents: 5_000_000,
  snapshots: snapshots && { store: snapshots, codec: discussionSnapshotCodec, every: SNAPSHOT_EVERY, onError },
});

/** The channel handler's options: the state holds no posts, so each weighs alike. */
export const channelHandlerOptions = (
  snapshots: SnapshotStore | undefined,
  onError?: OnError,
): CommandHandlerOptions<ChannelState> => ({
  cacheSize: 10_000,
  stateWeight: () => 1,
  snapshots: snapshots && { store: snapshots, codec: channelSnapshotCodec, every: SNAPSHOT_EVERY, onError },
});
