import { type ChannelEvent } from '../commands/channel/channelEvents';
import {
  evolveChannel,
  evolvePost,
  initialChannelState,
  type ChannelState,
  type PostState,
} from '../commands/channel/channelState';
import { type DiscussionEvent } from '../commands/discussion/discussionEvents';
import { evolveDiscussion, initialDiscussionState, type DiscussionState } from '../commands/discussion/discussionState';
import { streams } from '../commands/streams';
import type { EventStore, RecordedEvent } from '../eventStore/eventStore';
import { readStreamEvents } from './readEvents';

/** A point in the log: a global position (inclusive) or a time (events recorded at or before it). */
export type AsOf = { position: bigint } | { time: Date };

export type ChannelAsOf = {
  asOf: { position: string | null; time: string | null };
  /** Position of the last event folded in (channel or discussion stream). */
  lastPosition: string | null;
  channel: Omit<Extract<ChannelState, { exists: true }>, 'exists'> | null;
  posts: PostState[];
  discussion: {
    discussionId: number;
    title: string;
    isEnabled: boolean;
    requiredFeatureKey: string | null;
    slowModeEnabled: boolean;
    slowModeIntervalSeconds: number | null;
    createdAt: string;
    updatedAt: string;
    lastMessageId: number;
    bans: Record<string, { until: string | null; reason: string | null }>;
    mutes: Record<string, { until: string }>;
  } | null;
};

const isAtOrBefore = (event: RecordedEvent, asOf: AsOf): boolean =>
  'position' in asOf ? event.position <= asOf.position : Date.parse(event.recordedAt) <= asOf.time.getTime();

/** Folds one stream's events up to `asOf` with the write side's own `evolve`. */
const foldStream = async <State, Event>(
  store: EventStore,
  streamName: string,
  asOf: AsOf,
  initial: State,
  evolve: (state: State, event: Event) => State,
): Promise<{ state: State; lastPosition: bigint | undefined }> => {
  let state = initial;
  let lastPosition: bigint | undefined;
  for await (const event of readStreamEvents(store, streamName)) {
    // A stream's events are in log order, so the first one past the point ends the fold.
    if (!isAtOrBefore(event, asOf)) break;
    state = evolve(state, { type: event.type, data: event.data } as Event);
    lastPosition = event.position;
  }
  return { state, lastPosition };
};

/** The channel state holds no posts: history folds them beside it, each with the write side's own fold. */
type ChannelWithPosts = { channel: ChannelState; posts: Map<number, PostState> };

const evolveWithPosts = (state: ChannelWithPosts, event: ChannelEvent): ChannelWithPosts => {
  const { postId } = event.data as { postId?: number };
  if (postId !== undefined) {
    const post = evolvePost(postId)(state.posts.get(postId), event);
    if (post) state.posts.set(postId, post);
  }
  return { channel: evolveChannel(state.channel, event), posts: state.posts };
};

/** The channel, its posts and its discussion's settings as they were at `asOf`. */
export const channelAsOf = async (store: EventStore, channelId: number, asOf: AsOf): Promise<ChannelAsOf> => {
  const channel = await foldStream<ChannelWithPosts, ChannelEvent>(
    store,
    streams.channel(channelId),
    asOf,
    { channel: initialChannelState(), posts: new Map() },
    evolveWithPosts,
  );
  const discussionId = channel.state.channel.exists ? channel.state.channel.discussionId : null;
  const discussion =
    discussionId === null
      ? undefined
      : await foldStream<DiscussionState, DiscussionEvent>(
          store,
          streams.discussion(discussionId),
          asOf,
          initialDiscussionState(),
          evolveDiscussion,
        );
  const positions = [channel.lastPosition, discussion?.lastPosition].filter((p): p is bigint => p !== undefined);
  const lastPosition = positions.length ? positions.reduce((a, b) => (a > b ? a : b)) : undefined;
  const channelState = channel.state.channel;
  const discussionState = discussion?.state;
  return {
    asOf:
      'position' in asOf
        ? { position: asOf.position.toString(), time: null }
        : { position: null, time: asOf.time.toISOString() },
    lastPosition: lastPosition?.toString() ?? null,
    channel: channelState.exists ? (({ exists: _e, ...rest }) => rest)(channelState) : null,
    posts: channelState.exists ? [...channel.state.posts.values()].sort((a, b) => a.postId - b.postId) : [],
    discussion:
      discussionState && discussionState.exists
        ? {
            discussionId: discussionState.discussionId,
            title: discussionState.title,
            isEnabled: discussionState.isEnabled,
            requiredFeatureKey: discussionState.requiredFeatureKey,
            slowModeEnabled: discussionState.slowModeEnabled,
            slowModeIntervalSeconds: discussionState.slowModeIntervalSeconds,
            createdAt: discussionState.createdAt,
            updatedAt: discussionState.updatedAt,
            lastMessageId: discussionState.lastMessageId,
            bans: { ...discussionState.bans },
            mutes: { ...discussionState.mutes },
          }
        : null,
  };
};
