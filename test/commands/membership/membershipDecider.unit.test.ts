import type { Grants } from '../../../src/access/channelAccess';
import type { ChannelFacts } from '../../../src/commands/channel/channelFacts';
import { membershipDecider, type MembershipCommand } from '../../../src/commands/membership/membershipDecider';
import type { MembershipEvent } from '../../../src/commands/membership/membershipEvents';
import { ConflictError, ForbiddenError } from '../../../src/errors';
import { deciderSpecification } from '../../helpers/givenWhenThen';

const spec = deciderSpecification(membershipDecider);
const now = '2026-03-19T12:00:00.000Z';
const open: ChannelFacts = {
  channelId: 3,
  kind: 'BROADCAST',
  status: 'ACTIVE',
  accessPolicy: 'OPEN',
  entitlementKey: null,
};
const gated: ChannelFacts = { ...open, accessPolicy: 'EXTERNAL_GATED', entitlementKey: 'vip' };
const entitled: Grants = { vip: { grantedAt: '2026-03-01T00:00:00.000Z', validUntil: null, revokedAt: null } };
const expiresAtNow: Grants = { vip: { grantedAt: '2026-03-01T00:00:00.000Z', validUntil: now, revokedAt: null } };

const join = (channel: ChannelFacts, entitlements: Grants = {}): MembershipCommand => ({
  type: 'JoinChannel',
  data: { userId: 'u1', channel, entitlements, now },
});
const leave = (channel: ChannelFacts): MembershipCommand => ({
  type: 'LeaveChannel',
  data: { userId: 'u1', channel, now },
});
const joined: MembershipEvent = {
  type: 'ChannelJoined',
  data: { userId: 'u1', channelId: 3, joinedAt: '2026-03-10T10:00:00.000Z' },
};
const readTo = (
  lastSeenPostId: string,
  channelLastPostId = 100,
  channel = open,
  entitlements: Grants = {},
): MembershipCommand => ({
  type: 'AdvanceReadState',
  data: { userId: 'u1', channel, entitlements, lastSeenPostId, channelLastPostId, now },
});

describe('Given a user who never joined', () => {
  it('When they join an OPEN broadcast channel, then they are joined', () =>
    spec
      .given([])
      .when(join(open))
      .then([{ type: 'ChannelJoined', data: { userId: 'u1', channelId: 3, joinedAt: now } }]));

  it('When they join a gated channel with a current entitlement, then they are joined', () =>
    spec
      .given([])
      .when(join(gated, entitled))
      .then([{ type: 'ChannelJoined', data: { userId: 'u1', channelId: 3, joinedAt: now } }]));

  it('When they join a gated channel without the entitlement, then it is forbidden', () =>
    spec.given([]).when(join(gated)).thenThrows(ForbiddenError));

  it('When they join a gated channel whose entitlement ends this very instant, then it is forbidden', () =>
    spec.given([]).when(join(gated, expiresAtNow)).thenThrows(ForbiddenError));

  it('When they join a non-broadcast channel, then it conflicts', () =>
    spec
      .given([])
      .when(join({ ...open, kind: 'GROUP' }))
      .thenThrows(ConflictError));

  it('When they join an archived channel, then it conflicts', () =>
    spec
      .given([])
      .when(join({ ...open, status: 'ARCHIVED' }))
      .thenThrows(ConflictError));

  it('When they leave, then nothing happens (idempotent)', () => spec.given([]).when(leave(open)).thenNothingHappens());
});

describe('Given a joined user', () => {
  it('When they join again, then nothing happens (idempotent)', () =>
    spec.given([joined]).when(join(open)).thenNothingHappens());

  it('When they leave, then the left event keeps when they joined', () =>
    spec
      .given([joined])
      .when(leave(open))
      .then([
        {
          type: 'ChannelLeft',
          data: { userId: 'u1', channelId: 3, joinedAt: '2026-03-10T10:00:00.000Z', leftAt: now },
        },
      ]));

  it('When they leave a gated channel after losing the entitlement, then they still leave', () =>
    spec
      .given([joined])
      .when(leave(gated))
      .then([
        {
          type: 'ChannelLeft',
          data: { userId: 'u1', channelId: 3, joinedAt: '2026-03-10T10:00:00.000Z', leftAt: now },
        },
      ]));

  it('When they re-join a gated channel after losing the entitlement, then it is forbidden', () =>
    spec.given([joined]).when(join(gated)).thenThrows(ForbiddenError));

  it('When they leave a non-broadcast channel, then it conflicts', () =>
    spec
      .given([joined])
      .when(leave({ ...open, kind: 'GROUP' }))
      .thenThrows(ConflictError));
});

describe('Given a read cursor at 50', () => {
  const at50: MembershipEvent = {
    type: 'ReadStateAdvanced',
    data: { userId: 'u1', channelId: 3, lastSeenPostId: '50', lastSeenAt: now },
  };

  it('When the user reports 60, then the cursor advances to 60', () =>
    spec
      .given([at50])
      .when(readTo('60'))
      .then([
        { type: 'ReadStateAdvanced', data: { userId: 'u1', channelId: 3, lastSeenPostId: '60', lastSeenAt: now } },
      ]));

  it('When the user reports 40, then nothing happens (never moves back)', () =>
    spec.given([at50]).when(readTo('40')).thenNothingHappens());

  it('When the user reports 50 again, then nothing happens', () =>
    spec.given([at50]).when(readTo('50')).thenNothingHappens());

  it('When the user reports beyond the channel last post id, then the cursor is clamped to it', () =>
    spec
      .given([at50])
      .when(readTo('99999999999999999999', 70))
      .then([
        { type: 'ReadStateAdvanced', data: { userId: 'u1', channelId: 3, lastSeenPostId: '70', lastSeenAt: now } },
      ]));

  it('When the user lost access to a gated channel, then it is forbidden', () =>
    spec
      .given([at50])
      .when(readTo('60', 100, gated))
      .thenThrows(ForbiddenError));

  it('When the user is entitled to a gated channel, then the cursor advances', () =>
    spec
      .given([at50])
      .when(readTo('60', 100, gated, entitled))
      .then([
        { type: 'ReadStateAdvanced', data: { userId: 'u1', channelId: 3, lastSeenPostId: '60', lastSeenAt: now } },
      ]));
});
