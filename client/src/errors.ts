/** The server's error codes (HTTP bodies and socket acknowledgements alike). */
export type ApiErrorCode =
  | 'BAD_REQUEST'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'VALIDATION_ERROR'
  | 'RATE_LIMITED'
  | 'PAYLOAD_TOO_LARGE'
  | 'SERVICE_UNAVAILABLE'
  | 'INTERNAL_ERROR';

/** An answer the server gave on purpose: `{ message, code, details? }` with its HTTP status (0 over the socket). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ApiErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** The `details.reason` of FORBIDDEN, CONFLICT and idempotency answers, when there is one. */
  get reason(): string | undefined {
    const details = this.details as { reason?: unknown } | Array<{ reason?: unknown }> | undefined;
    const reason = Array.isArray(details) ? details[0]?.reason : details?.reason;
    return typeof reason === 'string' ? reason : undefined;
  }
}

/** No answer at all (connection refused or dropped, timeout): retried with the same Idempotency-Key. */
export class NetworkError extends Error {
  constructor(
    message: string,
    readonly original?: unknown,
  ) {
    super(message);
    this.name = 'NetworkError';
  }
}
