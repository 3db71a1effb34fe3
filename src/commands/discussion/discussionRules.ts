import { decideChannelAccess, decideDiscussionAccess, isRestrictionActive } from '../../access/channelAccess';
import { ConflictError, ForbiddenError, NotFoundError, RateLimitedError, ValidationError } from '../../errors';
import type { ChannelFacts, UserGrants } from '../channel/channelFacts';
import type { DiscussionSettings } from './discussionEvents';
import type { DiscussionState, ExistingDiscussion, MessageState } from './discussionState';

/** What a user-side message command carries about the world outside the discussion stream. */
export type UserContext = { userId: string; channel: ChannelFacts; grants: UserGrants; isJoined: boolean; now: string };

export const requireDiscussion = (state: DiscussionState): ExistingDiscussion => {
  if (!state.exists) throw new NotFoundError('Discussion not found');
  return state;
};

/** A message command carries the message's facts as loaded for its discussion (messageFacts.ts). */
export const requireMessage = (message: MessageState | undefined): MessageState => {
  if (!message) throw new NotFoundError('Discussion message not found');
  return message;
};

export const requireNotDeleted = (message: MessageState): MessageState => {
  if (message.isDeleted) throw new ConflictError('Discussion message is deleted');
  return message;
};

/** Archived channels take no new discussion messages and no edits either. */
export const requireChannelActive = (channel: ChannelFacts): void => {
  if (channel.status === 'ARCHIVED') throw new ConflictError('Channel is archived');
};

export const assertSettings = (settings: DiscussionSettings): void => {
  if (settings.slowModeEnabled && (settings.slowModeIntervalSeconds === null || settings.slowModeIntervalSeconds < 1)) {
    throw new ValidationError('Slow mode needs slowModeIntervalSeconds of at least 1', [
      { path: '/slowModeIntervalSeconds', message: 'is required when slowModeEnabled is true' },
    ]);
  }
};

export const assertInFuture = (until: string | null, now: string, field: string): void => {
  if (until !== null && Date.parse(until) <= Date.parse(now)) {
    throw new ValidationError(`${field} must be in the future`, [
      { path: `/${field}`, message: 'must be in the future' },
    ]);
  }
};

/** Read access (channel access, enabled, feature, not banned) plus, to write, no active mute. */
export const requireWriteAccess = (discussion: ExistingDiscussion, context: UserContext): void => {
  const now = new Date(context.now);
  const channelAccess = decideChannelAccess({
    channel: context.channel,
    userId: context.userId,
    entitlements: context.grants.entitlements,
    isJoined: context.isJoined,
    now,
  });
  const access = decideDiscussionAccess({
    channelAccess,
    discussion,
    features: context.grants.features,
    ban: discussion.bans[context.userId],
    now,
  });
  if (!access.allowed) throw new ForbiddenError('You cannot write in this discussion', { reason: access.reason });
  if (isRestrictionActive(discussion.mutes[context.userId], now)) {
    throw new ForbiddenError('You are muted in this discussion', {
      reason: 'MUTED',
      until: discussion.mutes[context.userId]?.until,
    });
  }
};

/** Slow mode: one user-authored message per interval per user. */
export const requireSlowModeElapsed = (discussion: ExistingDiscussion, userId: string, now: string): void => {
  if (!discussion.slowModeEnabled || discussion.slowModeIntervalSeconds === null) return;
  const last = discussion.lastUserMessageAt.get(userId);
  if (last === undefined) return;
  const waitMs = Date.parse(last) + discussion.slowModeIntervalSeconds * 1000 - Date.parse(now);
  if (waitMs > 0) {
    throw new RateLimitedError('Slow mode is on: wait before posting again', Math.ceil(waitMs / 1000));
  }
};
