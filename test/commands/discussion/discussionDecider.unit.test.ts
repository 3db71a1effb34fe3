import type { Grants } from '../../../src/access/channelAccess';
import type { ChannelFacts } from '../../../src/commands/channel/channelFacts';
import { discussionDecider, type DiscussionCommand } from '../../../src/commands/discussion/discussionDecider';
import type { DiscussionEvent, DiscussionSettings } from '../../../src/commands/discussion/discussionEvents';
import { evolveMessage } from '../../../src/commands/discussion/discussionState';
import { IdNotIncreasingError } from '../../../src/commands/sequence/idNotIncreasingError';
import { ConflictError, ForbiddenError, NotFoundError, RateLimitedError, ValidationError } from '../../../src/errors';
import { deciderSpecification } from '../../helpers/givenWhenThen';

const spec = deciderSpecification(discussionDecider);
const now = '2026-03-19T12:00:00.000Z';
const later = (seconds: number) => new Date(Date.parse(now) + seconds * 1000).toISOString();
const ids = { discussionId: 1, channelId: 3 };
const settings: DiscussionSettings = {
  title: 'VIP Signals Discussion',
  isEnabled: true,
  requiredFeatureKey: 'chat.discussion',
  slowModeEnabled: false,
  slowModeIntervalSeconds: null,
};
const created: DiscussionEvent = {
  type: 'DiscussionCreated',
  data: { ...settings, ...ids, createdByAdminId: 'admin-1', createdAt: '2026-03-16T10:00:00.000Z' },
};
const updated = (changes: Partial<DiscussionSettings>): DiscussionEvent => ({
  type: 'DiscussionUpdated',
  data: { ...ids, changes, updatedByAdminId: 'admin-1', updatedAt: now },
});
const open: ChannelFacts = {
  channelId: 3,
  kind: 'BROADCAST',
  status: 'ACTIVE',
  accessPolicy: 'OPEN',
  entitlementKey: null,
};
const feature: Grants = { 'chat.discussion': { grantedAt: now, validUntil: null, revokedAt: null } };
const userPosts = (
  messageId: number,
  options: { at?: string; channel?: ChannelFacts; features?: Grants; entitlements?: Grants } = {},
): DiscussionCommand => ({
  type: 'PostUserMessage',
  data: {
    userId: 'u1',
    channel: options.channel ?? open,
    grants: { entitlements: options.entitlements ?? {}, features: options.features ?? feature },
    isJoined: false,
    now: options.at ?? now,
    messageId,
    body: 'hi',
  },
});
const posted = (messageId: number, userId: string | null = 'u1', at = now): DiscussionEvent => ({
  type: 'DiscussionMessagePosted',
  data: {
    messageId,
    ...ids,
    authorType: userId ? 'USER' : 'ADMIN',
    authorUserId: userId,
    authorAdminId: userId ? null : 'admin-1',
    body: 'hi',
    createdAt: at,
  },
});
const banned = (until: string | null): DiscussionEvent => ({
  type: 'UserBanned',
  data: { ...ids, userId: 'u1', until, reason: null, bannedByAdminId: 'admin-1', bannedAt: '2026-03-18T00:00:00.000Z' },
});
const muted = (until: string): DiscussionEvent => ({
  type: 'UserMuted',
  data: { ...ids, userId: 'u1', until, mutedByAdminId: 'admin-1', mutedAt: '2026-03-18T00:00:00.000Z' },
});
const deletedBy = (userId: string | null): DiscussionEvent => ({
  type: 'DiscussionMessageDeleted',
  data: { messageId: 1, ...ids, deletedByUserId: userId, deletedByAdminId: userId ? null : 'admin-1', deletedAt: now },
});
const byAdmin = { adminId: 'admin-1', now };
const forbiddenBecause = (reason: string) => (error: ForbiddenError) => expect(error.details).toMatchObject({ reason });

describe('Given no discussion', () => {
  it('When an admin creates one, then it is created', () =>
    spec
      .given([])
      .when({ type: 'CreateDiscussion', data: { ...byAdmin, ...ids, settings } })
      .then([
        { type: 'DiscussionCreated', data: { ...settings, ...ids, createdByAdminId: 'admin-1', createdAt: now } },
      ]));
  it('When slow mode is enabled without an interval, then it is a validation error', () =>
    spec
      .given([])
      .when({
        type: 'CreateDiscussion',
        data: { ...byAdmin, ...ids, settings: { ...settings, slowModeEnabled: true } },
      })
      .thenThrows(ValidationError));
  it('When a user posts, then the discussion is not found', () =>
    spec.given([]).when(userPosts(1)).thenThrows(NotFoundError));
});

describe('Given an enabled discussion requiring a feature', () => {
  it('When it is created again, then it conflicts', () =>
    spec
      .given([created])
      .when({ type: 'CreateDiscussion', data: { ...byAdmin, ...ids, settings } })
      .thenThrows(ConflictError));
  it('When an admin disables it, then only isEnabled changes', () =>
    spec
      .given([created])
      .when({ type: 'ChangeDiscussion', data: { ...byAdmin, changes: { isEnabled: false, title: settings.title } } })
      .then([updated({ isEnabled: false })]));
  it('When a user with the feature posts, then the message is posted', () =>
    spec
      .given([created])
      .when(userPosts(1))
      .then([posted(1)]));
  it('When a user without the feature posts, then it is forbidden', () =>
    spec
      .given([created])
      .when(userPosts(1, { features: {} }))
      .thenThrows(ForbiddenError, forbiddenBecause('FEATURE_REQUIRED')));
  it('When a user without channel access posts, then it is forbidden', () =>
    spec
      .given([created])
      .when(userPosts(1, { channel: { ...open, accessPolicy: 'EXTERNAL_GATED', entitlementKey: 'vip' } }))
      .thenThrows(ForbiddenError, forbiddenBecause('CHANNEL_ACCESS')));
  it('When the channel is archived, then posting conflicts', () =>
    spec
      .given([created])
      .when(userPosts(1, { channel: { ...open, status: 'ARCHIVED' } }))
      .thenThrows(ConflictError));
  it('When the discussion is disabled, then posting is forbidden', () =>
    spec
      .given([created, updated({ isEnabled: false })])
      .when(userPosts(1))
      .thenThrows(ForbiddenError, forbiddenBecause('DISCUSSION_DISABLED')));
  it('When the message id is not above the last one, then a retryable IdNotIncreasingError is thrown', () =>
    spec
      .given([created, posted(7, null)])
      .when(userPosts(7))
      .thenThrows(IdNotIncreasingError));
  it('When the user is banned, then posting is forbidden', () =>
    spec
      .given([created, banned(null)])
      .when(userPosts(1))
      .thenThrows(ForbiddenError, forbiddenBecause('BANNED')));
  it('When the user ban has expired, then the user posts', () =>
    spec
      .given([created, banned(now)])
      .when(userPosts(1))
      .then([posted(1)]));
  it('When the user is muted, then posting is forbidden', () =>
    spec
      .given([created, muted(later(60))])
      .when(userPosts(1))
      .thenThrows(ForbiddenError, forbiddenBecause('MUTED')));
  it('When the mute has ended, then the user posts', () =>
    spec
      .given([created, muted(now)])
      .when(userPosts(1))
      .then([posted(1)]));
  it('When an admin posts into a disabled discussion, then the admin message is posted', () =>
    spec
      .given([created, updated({ isEnabled: false })])
      .when({ type: 'PostAdminMessage', data: { ...byAdmin, messageId: 1, body: 'hi', channel: open } })
      .then([posted(1, null)]));
});

describe('Given slow mode of 30 seconds and a message by the user at now', () => {
  const given = [created, updated({ slowModeEnabled: true, slowModeIntervalSeconds: 30 }), posted(1)];
  it('When the user posts 10 seconds later, then it is rate limited for 20 more seconds', () =>
    spec
      .given(given)
      .when(userPosts(2, { at: later(10) }))
      .thenThrows(RateLimitedError, (error: RateLimitedError) => {
        expect(error.retryAfterSeconds).toBe(20);
      }));
  it('When the user posts 30 seconds later, then the message is posted', () =>
    spec
      .given(given)
      .when(userPosts(2, { at: later(30) }))
      .then([posted(2, 'u1', later(30))]));
  it('When an admin posts right away, then admins are exempt', () =>
    spec
      .given(given)
      .when({ type: 'PostAdminMessage', data: { ...byAdmin, messageId: 2, body: 'hi', channel: open } })
      .then([posted(2, null)]));
  it('When another user posts right away, then slow mode is per user', () => {
    const other = userPosts(2);
    if (other.type !== 'PostUserMessage') throw new Error('unexpected');
    spec
      .given(given)
      .when({ ...other, data: { ...other.data, userId: 'u2' } })
      .then([{ ...posted(2, 'u2') }]);
  });
});

describe('Given a message by u1', () => {
  const given = [created, posted(1)];
  // A message command carries the message's facts as loaded with the stream: here, folded from the given events.
  const message = (events: DiscussionEvent[]) => ({
    messageId: 1,
    message: events.reduce(evolveMessage(1), undefined),
  });
  const edit = (userId: string, events: DiscussionEvent[]): DiscussionCommand => ({
    type: 'EditOwnMessage',
    data: {
      userId,
      channel: open,
      grants: { entitlements: {}, features: feature },
      isJoined: false,
      now,
      ...message(events),
      body: 'edited',
    },
  });
  const deleteOwn = (userId: string, events: DiscussionEvent[]): DiscussionCommand => ({
    type: 'DeleteOwnMessage',
    data: { userId, ...message(events), now },
  });
  const byAdminOn = (events: DiscussionEvent[]) => ({ ...byAdmin, ...message(events) });

  it('When u1 edits it, then the edit is recorded', () =>
    spec
      .given(given)
      .when(edit('u1', given))
      .then([
        {
          type: 'DiscussionMessageEdited',
          data: { messageId: 1, ...ids, body: 'edited', editedBy: { type: 'USER', id: 'u1' }, editedAt: now },
        },
      ]));
  it('When u2 edits it, then it is forbidden', () =>
    spec.given(given).when(edit('u2', given)).thenThrows(ForbiddenError));
  it('When u1 edits it while muted, then it is forbidden', () =>
    spec
      .given([...given, muted(later(60))])
      .when(edit('u1', [...given, muted(later(60))]))
      .thenThrows(ForbiddenError));
  it('When u1 edits an unknown message, then it is not found', () =>
    spec
      .given([created])
      .when(edit('u1', [created]))
      .thenThrows(NotFoundError));
  it('When u1 deletes it, then the tombstone names u1', () =>
    spec
      .given(given)
      .when(deleteOwn('u1', given))
      .then([deletedBy('u1')]));
  it('When u2 deletes it, then it is forbidden', () =>
    spec.given(given).when(deleteOwn('u2', given)).thenThrows(ForbiddenError));
  it('When u1 deletes it while banned, then it is still deleted', () =>
    spec
      .given([...given, banned(null)])
      .when(deleteOwn('u1', [...given, banned(null)]))
      .then([deletedBy('u1')]));
  it('When u1 deletes it twice, then it conflicts', () =>
    spec
      .given([...given, deletedBy('u1')])
      .when(deleteOwn('u1', [...given, deletedBy('u1')]))
      .thenThrows(ConflictError));
  it('When u1 edits a deleted message, then it conflicts', () =>
    spec
      .given([...given, deletedBy('u1')])
      .when(edit('u1', [...given, deletedBy('u1')]))
      .thenThrows(ConflictError));
  it('When an admin deletes it, then the tombstone names the admin', () =>
    spec
      .given(given)
      .when({ type: 'DeleteMessage', data: byAdminOn(given) })
      .then([deletedBy(null)]));
  it('When an admin restores a deleted message, then it is restored', () =>
    spec
      .given([...given, deletedBy('u1')])
      .when({ type: 'RestoreMessage', data: byAdminOn([...given, deletedBy('u1')]) })
      .then([
        {
          type: 'DiscussionMessageRestored',
          data: { messageId: 1, ...ids, restoredByAdminId: 'admin-1', restoredAt: now },
        },
      ]));
  it('When an admin restores a message that is not deleted, then it conflicts', () =>
    spec
      .given(given)
      .when({ type: 'RestoreMessage', data: byAdminOn(given) })
      .thenThrows(ConflictError));
});

describe('Given moderation', () => {
  const ban = (until: string | null): DiscussionCommand => ({
    type: 'BanUser',
    data: { ...byAdmin, userId: 'u1', until, reason: null },
  });
  it('When an admin bans a user until a future time, then the ban is recorded', () =>
    spec
      .given([created])
      .when(ban(later(3600)))
      .then([
        {
          type: 'UserBanned',
          data: { ...ids, userId: 'u1', until: later(3600), reason: null, bannedByAdminId: 'admin-1', bannedAt: now },
        },
      ]));
  it('When an admin bans until a past time, then it is a validation error', () =>
    spec.given([created]).when(ban(now)).thenThrows(ValidationError));
  it('When the same ban is repeated, then nothing happens', () =>
    spec
      .given([created, banned(null)])
      .when(ban(null))
      .thenNothingHappens());
  it('When an admin unbans a banned user, then the unban is recorded', () =>
    spec
      .given([created, banned(null)])
      .when({ type: 'UnbanUser', data: { ...byAdmin, userId: 'u1' } })
      .then([{ type: 'UserUnbanned', data: { ...ids, userId: 'u1', unbannedByAdminId: 'admin-1', unbannedAt: now } }]));
  it('When an admin unbans a user who is not banned, then nothing happens', () =>
    spec
      .given([created])
      .when({ type: 'UnbanUser', data: { ...byAdmin, userId: 'u1' } })
      .thenNothingHappens());
  it('When an admin mutes a user, then the mute is recorded', () =>
    spec
      .given([created])
      .when({ type: 'MuteUser', data: { ...byAdmin, userId: 'u1', until: later(60) } })
      .then([
        {
          type: 'UserMuted',
          data: { ...ids, userId: 'u1', until: later(60), mutedByAdminId: 'admin-1', mutedAt: now },
        },
      ]));
  it('When an admin unmutes a muted user, then the unmute is recorded', () =>
    spec
      .given([created, muted(later(60))])
      .when({ type: 'UnmuteUser', data: { ...byAdmin, userId: 'u1' } })
      .then([{ type: 'UserUnmuted', data: { ...ids, userId: 'u1', unmutedByAdminId: 'admin-1', unmutedAt: now } }]));
});
