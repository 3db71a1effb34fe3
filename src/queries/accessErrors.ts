import type { DiscussionDenial } from '../access/channelAccess';
import { ForbiddenError, NotFoundError } from '../errors';
import type { ChannelAccessContext, DiscussionAccessContext, NotFound } from './accessContext';

/** Channel or discussion missing → 404. */
export const requireFound = <Context extends { found: true }>(context: Context | NotFound): Context => {
  if (!context.found) {
    throw new NotFoundError(context.missing === 'channel' ? 'Channel not found' : 'Discussion not found');
  }
  return context;
};

/** Reading posts (and anything beyond the shell) needs the access decision to allow it; joined-but-locked does not. */
export const requireChannelRead = (context: ChannelAccessContext): ChannelAccessContext => {
  if (!context.access.canRead) {
    throw new ForbiddenError('You are not entitled to read this channel', {
      reason: context.access.reason,
      isLocked: context.access.isLocked,
    });
  }
  return context;
};

const DISCUSSION_MESSAGES = {
  CHANNEL_ACCESS: 'You are not entitled to read this channel',
  DISCUSSION_DISABLED: 'This discussion is disabled',
  FEATURE_REQUIRED: 'This discussion requires a feature you do not have',
  BANNED: 'You are banned from this discussion',
} as const;

export const requireDiscussionRead = (context: DiscussionAccessContext): DiscussionAccessContext => {
  if (!context.access.allowed) throw denied(context, context.access.reason);
  return context;
};

/**
 * Describing a discussion (GET .../discussion) needs every rule but enabled: a disabled
 * discussion is shown with `isEnabled: false` so the app can say so; its messages are not.
 */
export const requireDiscussionVisible = (context: DiscussionAccessContext): DiscussionAccessContext => {
  if (!context.access.allowed && context.access.reason !== 'DISCUSSION_DISABLED')
    throw denied(context, context.access.reason);
  return context;
};

const denied = (context: DiscussionAccessContext, reason: DiscussionDenial): ForbiddenError =>
  new ForbiddenError(DISCUSSION_MESSAGES[reason], {
    reason,
    ...(reason === 'FEATURE_REQUIRED' ? { requiredFeatureKey: context.discussion.requiredFeatureKey } : {}),
  });
