import { AppendOutcomeUnknownError } from '../errors';
import { retryWithBackoff, type Backoff } from '../retry/backoff';
import type { AppendOptions, AppendResult, EventStore, ExpectedRevision, NewEvent } from './eventStore';

export type AppendRetry = { attempts: number; backoff: Backoff };

/** A few quick retries: an unreachable leader answers at once, a silent one costs the client's deadline each. */
export const DEFAULT_APPEND_RETRY: AppendRetry = { attempts: 4, backoff: { firstMs: 100, maxMs: 1000, jitter: true } };

const isExact = (expected: ExpectedRevision): boolean => typeof expected === 'bigint' || expected === 'no_stream';

/**
 * Appends `events`; when the store cannot tell whether an attempt was written
 * (`AppendOutcomeUnknownError`), appends the very same events (same ids) with the same
 * expected revision again, with backoff, `retry.attempts` times in all. With an exact
 * expected revision a store that did write the first attempt answers the retry with that
 * write's result (eventStore.ts), so a command lands once; a retry that meets
 * `WrongExpectedRevisionError` means the first attempt was not written and another writer
 * came first. `any` and `stream_exists` are not retried: EventStoreDB may write them twice.
 */
export const appendUntilKnown = (
  store: EventStore,
  streamName: string,
  events: NewEvent[],
  options: AppendOptions & { expectedRevision: ExpectedRevision },
  retry: AppendRetry = DEFAULT_APPEND_RETRY,
): Promise<AppendResult> =>
  retryWithBackoff(() => store.appendToStream(streamName, events, options), {
    attempts: isExact(options.expectedRevision) ? retry.attempts : 1,
    backoff: retry.backoff,
    retryable: (error) => error instanceof AppendOutcomeUnknownError,
  });
