import type { PushDelivery } from './pushSender';

/** One (post, user) pair as recorded; `times` > 1 would mean the user was pushed twice. */
export type RecordedDelivery = { userId: string; times: number };

/** Where the recording sender writes each delivery, and how tests and operators read them back. */
export type DeliveryLog = {
  record: (delivery: PushDelivery, deliveredAt: Date) => Promise<void>;
  /** Every user pushed about this post, ordered by userId. */
  listDeliveries: (postId: number) => Promise<RecordedDelivery[]>;
  countDeliveries: (postId: number) => Promise<number>;
};
