import { Map as ImmutableMap } from 'immutable';
import type { SnapshotCodec } from '../snapshots/snapshotStore';
import type { DiscussionState, ExistingDiscussion } from './discussionState';

/**
 * The fields of an existing discussion's state in this snapshot version. A snapshot with
 * other fields does not decode (it falls back to the stream); a state with other fields
 * fails the codec's round-trip test: change the state, then this list and the version.
 */
const FIELDS = [
  'exists',
  'discussionId',
  'channelId',
  'title',
  'isEnabled',
  'requiredFeatureKey',
  'slowModeEnabled',
  'slowModeIntervalSeconds',
  'createdByAdminId',
  'createdAt',
  'updatedAt',
  'lastMessageId',
  'bans',
  'mutes',
  'lastUserMessageAt',
].sort();

/**
 * Slow mode waits at most a day (the contract's slowModeIntervalSeconds maximum): a user's
 * last message older than that before the discussion's newest one can hold nobody back.
 * Twice that, for clocks that disagree a little.
 */
const SLOW_MODE_RELEVANT_MS = 2 * 86_400_000;

const recentPosters = (discussion: ExistingDiscussion): Record<string, string> => {
  const newest = discussion.lastUserMessageAt.reduce((latest, at) => Math.max(latest, Date.parse(at)), -Infinity);
  const oldestRelevant = newest - SLOW_MODE_RELEVANT_MS;
  return Object.fromEntries(
    [...discussion.lastUserMessageAt.entries()].filter(([, at]) => Date.parse(at) >= oldestRelevant),
  );
};

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export const discussionSnapshotCodec: SnapshotCodec<DiscussionState> = {
  version: 'discussion-2',
  encode: (state) => (state.exists ? { ...state, lastUserMessageAt: recentPosters(state) } : state),
  decode: (value) => {
    if (!isRecord(value)) throw new Error('not an object');
    if (value.exists === false) return { exists: false };
    const fields = Object.keys(value).sort();
    if (fields.join() !== FIELDS.join()) throw new Error(`fields ${fields.join()} are not this version's`);
    const { lastMessageId, bans, mutes, lastUserMessageAt } = value;
    if (typeof lastMessageId !== 'number' || !isRecord(bans) || !isRecord(mutes) || !isRecord(lastUserMessageAt)) {
      throw new Error('fields of the wrong type');
    }
    const decoded = { ...value, lastUserMessageAt: ImmutableMap(Object.entries(lastUserMessageAt)) };
    return decoded as unknown as ExistingDiscussion;
  },
};
