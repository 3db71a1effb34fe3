/**
 * Dedupe of (post, user) pairs across retries. A pair is claimed by one delivery job
 * (its id is the claim token) before sending and marked sent after. A retry of the same
 * job may re-claim its own unsent pairs; any other job skips a pair claimed or sent.
 * A job that fails releases its claims so the retry (or the next job) sends them.
 */
export type DeliveryLedger = {
  /** Returns the userIds this job may send to now. */
  claim: (postId: number, userIds: string[], token: string) => Promise<string[]>;
  markSent: (postId: number, userIds: string[]) => Promise<void>;
  /** Drops this job's unsent claims. */
  release: (postId: number, userIds: string[], token: string) => Promise<void>;
};

export const SENT = 'sent';

/** How long a pair stays deduped: longer than any retry or replay of a post's fan-out. */
export const LEDGER_TTL_SECONDS = 7 * 24 * 3600;
