import {
  decideChannelAccess,
  decideDiscussionAccess,
  isPushEligible,
  type ChannelAccessFacts,
  type Grant,
  type Grants,
} from '../../src/access/channelAccess';

// The access table of the design notes (/work/shared/DESIGN.md, "Access rules in one table"), row by row:
//
// |                                 | read channel/posts        | join (push)       | discussion read/post/realtime | push                      |
// | OPEN                            | anyone (JWT optional)     | JWT               | JWT + feature + not banned    | while joined              |
// | GATED, entitled                 | yes                       | yes               | same as above                 | while joined              |
// | GATED, lost entitlement, joined | shell only: isLocked=true | leave still works | blocked                       | 7 days after loss, then no|
// | GATED, never entitled           | 403                       | 403               | 403                           | none                      |

const DAY = 24 * 60 * 60 * 1000;
const now = new Date('2026-03-20T12:00:00.000Z');
const daysAgo = (days: number) => new Date(now.getTime() - days * DAY).toISOString();

const open: ChannelAccessFacts = { accessPolicy: 'OPEN', entitlementKey: null };
const gated: ChannelAccessFacts = { accessPolicy: 'EXTERNAL_GATED', entitlementKey: 'vip' };

const active: Grant = { grantedAt: daysAgo(30), validUntil: null, revokedAt: null };
const revoked = (days: number): Grant => ({ grantedAt: daysAgo(30), validUntil: null, revokedAt: daysAgo(days) });
const expired = (days: number): Grant => ({ grantedAt: daysAgo(30), validUntil: daysAgo(days), revokedAt: null });

const featureGranted: Grants = { 'chat.discussion': active };
const discussion = { isEnabled: true, requiredFeatureKey: 'chat.discussion' };

type Row = {
  row: string;
  channel: ChannelAccessFacts;
  userId: string | undefined;
  entitlements: Grants;
  isJoined: boolean;
  read: ReturnType<typeof decideChannelAccess>;
  /** With the discussion's feature and no ban; undefined where the table needs a JWT first. */
  discussionAccess: ReturnType<typeof decideDiscussionAccess> | undefined;
  push: boolean;
};

const rows: Row[] = [
  {
    row: 'OPEN, anonymous',
    channel: open,
    userId: undefined,
    entitlements: {},
    isJoined: false,
    read: { canRead: true, isLocked: false },
    discussionAccess: undefined,
    push: true,
  },
  {
    row: 'OPEN, signed in',
    channel: open,
    userId: 'ada',
    entitlements: {},
    isJoined: true,
    read: { canRead: true, isLocked: false },
    discussionAccess: { allowed: true },
    push: true,
  },
  {
    row: 'GATED, entitled',
    channel: gated,
    userId: 'ada',
    entitlements: { vip: active },
    isJoined: true,
    read: { canRead: true, isLocked: false },
    discussionAccess: { allowed: true },
    push: true,
  },
  {
    row: 'GATED, lost entitlement (revoked 2 days ago), joined',
    channel: gated,
    userId: 'ada',
    entitlements: { vip: revoked(2) },
    isJoined: true,
    read: { canRead: false, isLocked: true, reason: 'ENTITLEMENT_REQUIRED' },
    discussionAccess: { allowed: false, reason: 'CHANNEL_ACCESS' },
    push: true,
  },
  {
    row: 'GATED, lost entitlement (expired 6 days ago), joined',
    channel: gated,
    userId: 'ada',
    entitlements: { vip: expired(6) },
    isJoined: true,
    read: { canRead: false, isLocked: true, reason: 'ENTITLEMENT_REQUIRED' },
    discussionAccess: { allowed: false, reason: 'CHANNEL_ACCESS' },
    push: true,
  },
  {
    row: 'GATED, lost entitlement 8 days ago, joined (grace over)',
    channel: gated,
    userId: 'ada',
    entitlements: { vip: revoked(8) },
    isJoined: true,
    read: { canRead: false, isLocked: true, reason: 'ENTITLEMENT_REQUIRED' },
    discussionAccess: { allowed: false, reason: 'CHANNEL_ACCESS' },
    push: false,
  },
  {
    row: 'GATED, never entitled',
    channel: gated,
    userId: 'ada',
    entitlements: {},
    isJoined: false,
    read: { canRead: false, isLocked: false, reason: 'ENTITLEMENT_REQUIRED' },
    discussionAccess: { allowed: false, reason: 'CHANNEL_ACCESS' },
    push: false,
  },
  {
    row: 'GATED, anonymous',
    channel: gated,
    userId: undefined,
    entitlements: {},
    isJoined: false,
    read: { canRead: false, isLocked: false, reason: 'AUTHENTICATION_REQUIRED' },
    discussionAccess: undefined,
    push: false,
  },
];

describe('Given the access table of the design notes', () => {
  describe.each(rows)('$row', ({ channel, userId, entitlements, isJoined, read, discussionAccess, push }) => {
    const channelAccess = decideChannelAccess({ channel, userId, entitlements, isJoined, now });

    it('When the channel and its posts are read, then the answer is the table row', () => {
      expect(channelAccess).toEqual(read);
    });

    if (discussionAccess) {
      it('When the discussion is read, posted to or joined in realtime, then the answer is the table row', () => {
        expect(
          decideDiscussionAccess({ channelAccess, discussion, features: featureGranted, ban: undefined, now }),
        ).toEqual(discussionAccess);
      });
    }

    it('When a broadcast push goes out to a joined member, then the answer is the table row', () => {
      expect(isPushEligible({ channel, entitlements, now })).toBe(push);
    });
  });

  describe('Within a readable channel, the discussion column: JWT + feature + not banned', () => {
    const readable = decideChannelAccess({ channel: open, userId: 'ada', entitlements: {}, isJoined: true, now });
    const discussionFor = (features: Grants, ban: { until: string | null } | undefined, isEnabled = true) =>
      decideDiscussionAccess({
        channelAccess: readable,
        discussion: { ...discussion, isEnabled },
        features,
        ban,
        now,
      });

    it.each([
      ['no feature', {}, undefined, true, { allowed: false, reason: 'FEATURE_REQUIRED' }],
      [
        'a revoked feature',
        { 'chat.discussion': revoked(1) },
        undefined,
        true,
        { allowed: false, reason: 'FEATURE_REQUIRED' },
      ],
      ['a ban until lifted', featureGranted, { until: null }, true, { allowed: false, reason: 'BANNED' }],
      ['a ban that ended yesterday', featureGranted, { until: daysAgo(1) }, true, { allowed: true }],
      ['the discussion disabled', featureGranted, undefined, false, { allowed: false, reason: 'DISCUSSION_DISABLED' }],
    ] as const)('When the user has %s, then %j', (_case, features, ban, isEnabled, expected) => {
      expect(discussionFor(features, ban, isEnabled)).toEqual(expected);
    });
  });
});
