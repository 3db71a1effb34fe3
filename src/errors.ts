/**
 * Every error the service reports on purpose. Each carries a stable `code`
 * (also used in socket acknowledgements) and the HTTP status the spec assigns.
 */
export type ErrorCode =
  | 'BAD_REQUEST'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'VALIDATION_ERROR'
  | 'RATE_LIMITED'
  | 'SERVICE_UNAVAILABLE';

export class AppError extends Error {
  /** When set, the client may send the request again after this long (HTTP `Retry-After`). */
  readonly retryAfterSeconds?: number;
  constructor(
    readonly code: ErrorCode,
    readonly status: number,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** Malformed path parameter (e.g. a non-numeric id). */
export class BadRequestError extends AppError {
  constructor(message: string, details?: unknown) {
    super('BAD_REQUEST', 400, message, details);
  }
}

export class UnauthorizedError extends AppError {
  constructor(message = 'Authentication required') {
    super('UNAUTHORIZED', 401, message);
  }
}

export class ForbiddenError extends AppError {
  constructor(message: string, details?: unknown) {
    super('FORBIDDEN', 403, message, details);
  }
}

export class NotFoundError extends AppError {
  constructor(message: string) {
    super('NOT_FOUND', 404, message);
  }
}

/** A command that contradicts the current state (e.g. editing a deleted message). */
export class ConflictError extends AppError {
  constructor(message: string, details?: unknown) {
    super('CONFLICT', 409, message, details);
  }
}

/** Body, query or cursor that fails its schema or format rules. */
export class ValidationError extends AppError {
  constructor(message: string, details?: unknown) {
    super('VALIDATION_ERROR', 422, message, details);
  }
}

export class RateLimitedError extends AppError {
  constructor(
    message: string,
    override readonly retryAfterSeconds: number,
  ) {
    super('RATE_LIMITED', 429, message, { retryAfterSeconds });
  }
}

/** Optimistic concurrency failure on append; the generic command handler retries on it. */
export class WrongExpectedRevisionError extends Error {
  constructor(
    readonly streamName: string,
    readonly expected: string,
    readonly actual: string,
  ) {
    super(`Wrong expected revision on ${streamName}: expected ${expected}, actual ${actual}`);
    this.name = 'WrongExpectedRevisionError';
  }
}

/**
 * A command lost the race for its stream to other writers every time it was decided
 * again (the handler's attempts ran out). Nothing of it was written, so the client may
 * simply send it again.
 */
export class StreamContendedError extends AppError {
  constructor(
    readonly streamName: string,
    override readonly cause: WrongExpectedRevisionError,
    override readonly retryAfterSeconds = 1,
  ) {
    super('SERVICE_UNAVAILABLE', 503, 'Too many concurrent writes to the same conversation; retry shortly', {
      retryAfterSeconds,
    });
  }
}

/** A request that reached a node once it was shutting down, too late to be run in full: nothing was done. */
export class ShuttingDownError extends AppError {
  override readonly retryAfterSeconds = 1;
  constructor() {
    super('SERVICE_UNAVAILABLE', 503, 'This server is shutting down; nothing was done, send the request again', {
      retryAfterSeconds: 1,
    });
  }
}

/**
 * The event store could not say whether an append was written (a deadline passed, the
 * connection dropped after the server may have committed). Appending the same events (same
 * ids) with the same exact expected revision again is safe (eventStore.ts); the command
 * handler does so a few times, then answers 503 with this error.
 */
export class AppendOutcomeUnknownError extends AppError {
  constructor(
    readonly streamName: string,
    override readonly cause: unknown,
  ) {
    super('SERVICE_UNAVAILABLE', 503, 'The event store did not confirm the write; retry with the same Idempotency-Key');
  }
}
