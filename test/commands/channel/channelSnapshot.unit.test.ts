import { channelDecider } from '../../../src/commands/channel/channelDecider';
import type { ChannelEvent } from '../../../src/commands/channel/channelEvents';
import { channelSnapshotCodec } from '../../../src/commands/channel/channelSnapshot';

const now = '2026-03-19T12:00:00.000Z';
/** One event of every type the channel state folds. */
const everyEvent: ChannelEvent[] = [
  {
    type: 'ChannelCreated',
    data: {
      channelId: 3,
      kind: 'BROADCAST',
      accessPolicy: 'EXTERNAL_GATED',
      visibility: 'PUBLIC',
      status: 'ACTIVE',
      title: 'Signals',
      description: 'd',
      entitlementKey: 'vip',
      createdByAdminId: 'admin-1',
      createdAt: now,
    },
  },
  { type: 'ChannelUpdated', data: { channelId: 3, changes: { title: 'New' }, updatedByAdminId: 'a', updatedAt: now } },
  { type: 'DiscussionAttached', data: { channelId: 3, discussionId: 7, attachedAt: now } },
  {
    type: 'PostPublished',
    data: {
      postId: 5,
      channelId: 3,
      type: 'TEXT',
      bodyText: 'b',
      linkUrl: null,
      chartPayloadJson: null,
      attachments: [],
      createdByAdminId: 'admin-1',
      publishedAt: now,
    },
  },
  {
    type: 'PostEdited',
    data: { postId: 5, channelId: 3, changes: { bodyText: 'c' }, editedByAdminId: 'a', editedAt: now },
  },
  { type: 'PostPinned', data: { postId: 5, channelId: 3, pinnedByAdminId: 'a', pinnedAt: now } },
  { type: 'PostUnpinned', data: { postId: 5, channelId: 3, unpinnedByAdminId: 'a', unpinnedAt: now } },
  { type: 'PostDeleted', data: { postId: 5, channelId: 3, deletedByAdminId: 'a', deletedAt: now } },
];
const fold = (events: ChannelEvent[]) => events.reduce(channelDecider.evolve, channelDecider.initialState());
const roundTrip = (events: ChannelEvent[]) =>
  channelSnapshotCodec.decode(JSON.parse(JSON.stringify(channelSnapshotCodec.encode(fold(events)))));

describe('Given a channel state folded from every kind of channel event', () => {
  // Fails when the state gains or loses a field: update the codec's field list and bump its version.
  it('When it goes through a snapshot and back, then it is the same state', () => {
    expect(roundTrip(everyEvent)).toEqual(fold(everyEvent));
  });

  it('When an encoded value has a field more (such as the posts of an earlier shape), then decoding throws', () => {
    const encoded = channelSnapshotCodec.encode(fold(everyEvent)) as Record<string, unknown>;
    expect(() => channelSnapshotCodec.decode({ ...encoded, posts: {} })).toThrow();
  });
});

describe('Given no channel', () => {
  it('When its state goes through a snapshot and back, then it is still no channel', () => {
    expect(roundTrip([])).toEqual({ exists: false });
  });
});
