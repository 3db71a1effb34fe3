/** Jobs of the push fan-out; the same data runs on BullMQ and on the in-process queue. */

/** One broadcast post to fan out: pages the channel's joined members from `cursor` on. */
export type FanOutJobData = {
  postId: number;
  channelId: number;
  publishedAt: string;
  /** Log position of the PostPublished event (string, as at every boundary). */
  position: string;
  /** The last userId already paged; a retried job resumes after it. */
  cursor: string | null;
};

/** One batch of members to re-check and deliver to. */
export type DeliveryJobData = {
  postId: number;
  channelId: number;
  publishedAt: string;
  userIds: string[];
};

export type PushJob =
  { name: 'fanOut'; id: string; data: FanOutJobData } | { name: 'deliver'; id: string; data: DeliveryJobData };

/** A job as a worker sees it: `update` persists new data so a retry resumes from it. */
export type RunningJob = PushJob & { attempt: number; update: (data: PushJob['data']) => Promise<void> };

export const fanOutJobId = (postId: number): string => `fanout-${postId}`;
