import { discussionDecider } from '../../../src/commands/discussion/discussionDecider';
import type { DiscussionEvent } from '../../../src/commands/discussion/discussionEvents';
import { discussionSnapshotCodec } from '../../../src/commands/discussion/discussionSnapshot';

const ids = { discussionId: 1, channelId: 3 };
const at = (hours: number) => new Date(Date.parse('2026-03-19T00:00:00.000Z') + hours * 3_600_000).toISOString();
const posted = (messageId: number, userId: string, hours: number): DiscussionEvent => ({
  type: 'DiscussionMessagePosted',
  data: {
    messageId,
    ...ids,
    authorType: 'USER',
    authorUserId: userId,
    authorAdminId: null,
    body: 'hi',
    createdAt: at(hours),
  },
});
/** One event of every type the discussion state folds. */
const everyEvent: DiscussionEvent[] = [
  {
    type: 'DiscussionCreated',
    data: {
      ...ids,
      title: 'T',
      isEnabled: true,
      requiredFeatureKey: 'chat.discussion',
      slowModeEnabled: true,
      slowModeIntervalSeconds: 30,
      createdByAdminId: 'admin-1',
      createdAt: at(0),
    },
  },
  {
    type: 'DiscussionUpdated',
    data: { ...ids, changes: { title: 'U' }, updatedByAdminId: 'admin-1', updatedAt: at(1) },
  },
  posted(1, 'old', 1),
  posted(2, 'u1', 60),
  {
    type: 'DiscussionMessageEdited',
    data: { messageId: 2, ...ids, body: 'x', editedBy: { type: 'USER', id: 'u1' }, editedAt: at(60) },
  },
  {
    type: 'DiscussionMessageDeleted',
    data: { messageId: 2, ...ids, deletedByUserId: 'u1', deletedByAdminId: null, deletedAt: at(60) },
  },
  { type: 'DiscussionMessageRestored', data: { messageId: 2, ...ids, restoredByAdminId: 'a', restoredAt: at(60) } },
  {
    type: 'UserBanned',
    data: { ...ids, userId: 'b1', until: null, reason: 'r', bannedByAdminId: 'a', bannedAt: at(60) },
  },
  {
    type: 'UserBanned',
    data: { ...ids, userId: 'b2', until: null, reason: null, bannedByAdminId: 'a', bannedAt: at(60) },
  },
  { type: 'UserUnbanned', data: { ...ids, userId: 'b2', unbannedByAdminId: 'a', unbannedAt: at(60) } },
  { type: 'UserMuted', data: { ...ids, userId: 'm1', until: at(70), mutedByAdminId: 'a', mutedAt: at(60) } },
  { type: 'UserMuted', data: { ...ids, userId: 'm2', until: at(70), mutedByAdminId: 'a', mutedAt: at(60) } },
  { type: 'UserUnmuted', data: { ...ids, userId: 'm2', unmutedByAdminId: 'a', unmutedAt: at(60) } },
];
const fold = (events: DiscussionEvent[]) => events.reduce(discussionDecider.evolve, discussionDecider.initialState());
const roundTrip = (events: DiscussionEvent[]) =>
  discussionSnapshotCodec.decode(JSON.parse(JSON.stringify(discussionSnapshotCodec.encode(fold(events)))));

describe('Given a discussion state folded from every kind of discussion event', () => {
  // Fails when the state gains or loses a field: update the codec's field list and bump its version.
  it('When it goes through a snapshot and back, then it is the same state, less posters slow mode can no longer hold back', () => {
    const { lastUserMessageAt, ...rest } = fold(everyEvent) as Extract<ReturnType<typeof fold>, { exists: true }>;
    expect(roundTrip(everyEvent)).toEqual({ ...rest, lastUserMessageAt: lastUserMessageAt.delete('old') });
  });

  it('When a poster posted within two days of the newest message, then the snapshot keeps their time (slow mode waits at most a day)', () => {
    const events = [...everyEvent, posted(3, 'recent', 60 - 47)];
    const decoded = roundTrip(events);
    expect(decoded.exists && decoded.lastUserMessageAt.get('recent')).toBe(at(13));
    expect(decoded.exists && decoded.lastUserMessageAt.has('old')).toBe(false);
  });
});

describe('Given no discussion', () => {
  it('When its state goes through a snapshot and back, then it is still no discussion', () => {
    expect(roundTrip([])).toEqual({ exists: false });
  });
});

describe('Given encoded values that are not states of this version', () => {
  const encoded = discussionSnapshotCodec.encode(fold(everyEvent)) as Record<string, unknown>;
  it.each([
    ['a field more', { ...encoded, messages: {} }],
    ['a field less', { ...encoded, bans: undefined }],
    ['a field of the wrong type', { ...encoded, lastUserMessageAt: [] }],
    ['an array', [encoded]],
    ['null', null],
  ])('When one has %s, then decoding throws', (_case, value) => {
    expect(() => discussionSnapshotCodec.decode(JSON.parse(JSON.stringify(value)))).toThrow();
  });
});
