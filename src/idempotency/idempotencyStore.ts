/**
 * The idempotency-key port: a record per (principal, key) that lets a retried write
 * return its first answer instead of running again. It lives beside the read models
 * (a SQLite file of its own in DATA_DIR, a TTL-indexed collection in their MongoDB),
 * so every server process on them shares it and it survives restarts.
 */

/** Who sent the key (role and subject of the token) and the key itself. */
export type IdempotencyId = { scope: string; key: string };

/** The answer a retry gets back: the first request's status and JSON body. */
export type StoredAnswer = { status: number; body: unknown };

export type ClaimRequest = {
  /** Hash of method, path and body: the same key with another request is refused. */
  fingerprint: string;
  now: Date;
  /** How long an unanswered claim blocks others (a process that died mid-request frees the key after it). */
  lockMs: number;
  /** How long the record lives, counted from the first request. */
  ttlMs: number;
};

export type ClaimOutcome =
  /** The caller holds the key and must complete or release the claim `token`. */
  | { outcome: 'claimed'; token: string }
  /** An earlier request with this key and fingerprint was answered. */
  | { outcome: 'replay'; answer: StoredAnswer }
  /** The key was used for a different request. */
  | { outcome: 'mismatch' }
  /** A request with this key is still being processed. */
  | { outcome: 'inFlight' };

export type IdempotencyStore = {
  start: () => Promise<void>;
  close: () => Promise<void>;
  /** Claims the key unless a live record holds it; an expired record (or stale claim) counts as absent. */
  claim: (id: IdempotencyId, request: ClaimRequest) => Promise<ClaimOutcome>;
  /** Stores the answer of the claim `token`; does nothing when that claim was taken over meanwhile. */
  complete: (id: IdempotencyId, token: string, answer: StoredAnswer) => Promise<void>;
  /** Gives the claim up, so a retry runs the request again. */
  release: (id: IdempotencyId, token: string) => Promise<void>;
};
