/**
 * Leases: who may write for a role that must have exactly one active process (the
 * projector, the push trigger). A lease has an owner, an expiry and a fencing token that
 * grows by one at every takeover. It lives in the read-model store, the store the holder
 * writes to, so a batch can check its token inside its own transaction (`applyBatch`'s
 * `fence`): a holder that lost its lease cannot commit even if it has not noticed yet.
 */

export type Lease = { name: string; owner: string; token: number; expiresAt: Date };

/** What a holder presents with a write: the lease and the token it was granted. */
export type Fence = { lease: string; token: number };

export type LeaseStore = {
  /**
   * Takes the lease when it is free or expired (the token grows by one), or extends it when
   * `owner` holds it already (same token). Undefined while another owner holds it.
   */
  acquire: (name: string, owner: string, ttlMs: number) => Promise<Lease | undefined>;
  /** Extends the lease while `owner` holds it with `token` and it has not expired; undefined otherwise. */
  renew: (name: string, owner: string, token: number, ttlMs: number) => Promise<Lease | undefined>;
  /** Lets the lease expire now (a clean stop), so a standby need not wait for the expiry. */
  release: (name: string, owner: string, token: number) => Promise<void>;
  read: (name: string) => Promise<Lease | undefined>;
};

/** A write presented a fence whose lease was taken over or has expired: nothing of it was written. */
export class LeaseLostError extends Error {
  constructor(readonly fence: Fence) {
    super(`lease ${fence.lease} is no longer held with token ${fence.token}`);
    this.name = 'LeaseLostError';
  }
}
