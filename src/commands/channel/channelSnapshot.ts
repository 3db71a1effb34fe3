import type { SnapshotCodec } from '../snapshots/snapshotStore';
import type { ChannelState, ExistingChannel } from './channelState';

/**
 * The fields of an existing channel's state in this snapshot version. A snapshot with other
 * fields does not decode (it falls back to the stream); a state with other fields fails the
 * codec's round-trip test: change the state, then this list and the version.
 */
const FIELDS = [
  'exists',
  'channelId',
  'kind',
  'accessPolicy',
  'visibility',
  'status',
  'title',
  'description',
  'entitlementKey',
  'createdByAdminId',
  'createdAt',
  'updatedAt',
  'discussionId',
  'lastPostId',
].sort();

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The channel state is plain JSON already. */
export const channelSnapshotCodec: SnapshotCodec<ChannelState> = {
  version: 'channel-1',
  encode: (state) => state,
  decode: (value) => {
    if (!isRecord(value)) throw new Error('not an object');
    if (value.exists === false) return { exists: false };
    const fields = Object.keys(value).sort();
    if (fields.join() !== FIELDS.join()) throw new Error(`fields ${fields.join()} are not this version's`);
    if (typeof value.lastPostId !== 'number' || typeof value.channelId !== 'number') {
      throw new Error('fields of the wrong type');
    }
    return value as unknown as ExistingChannel;
  },
};
