/** One push to a batch of users about one post. */
export type PushDelivery = {
  postId: number;
  channelId: number;
  publishedAt: string;
  userIds: string[];
  /** Stable across retries of the same batch, so a receiver can drop a re-sent batch. */
  deliveryId: string;
};

/** The push sender port: resolves once the push provider accepted the batch; a rejection retries the job. */
export type PushSender = {
  send: (delivery: PushDelivery) => Promise<void>;
};
