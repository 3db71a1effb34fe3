/** Stream naming: one stream per aggregate instance. Projections filter on these prefixes. */
export const streams = {
  channel: (channelId: number) => `channel-${channelId}`,
  discussion: (discussionId: number) => `discussion-${discussionId}`,
  /** A user's channel memberships and read cursors. */
  membership: (userId: string) => `membership-${userId}`,
  /** A user's entitlements and features, as told by the subscription system. */
  userAccess: (userId: string) => `useraccess-${userId}`,
  /** Id block reservations for one numeric id sequence. */
  sequence: (name: SequenceName) => `sequence-${name}`,
} as const;

export const streamPrefixes = {
  channel: 'channel-',
  discussion: 'discussion-',
  membership: 'membership-',
  userAccess: 'useraccess-',
  sequence: 'sequence-',
} as const;

export type SequenceName = 'channelId' | 'discussionId' | 'postId' | 'messageId';
