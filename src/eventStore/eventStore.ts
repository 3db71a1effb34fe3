/**
 * The event store port. Shaped after EventStoreDB's own model so that the
 * embedded SQLite adapter and the EventStoreDB adapter are interchangeable:
 * streams with per-stream revisions (0-based), one global log ordered by
 * position, optimistic concurrency on append, catch-up subscriptions to the log.
 *
 * Revisions and positions are bigints inside the process and strings at every
 * boundary (HTTP, sockets, files).
 */

export type Actor = { type: 'user' | 'admin' | 'service' | 'system'; id: string };

export type EventMetadata = {
  actor: Actor;
  correlationId: string;
  causationId: string;
  /**
   * The schema version of the event's data, stamped on append (eventVersions/). Absent on
   * events written before versioning: they are version 1. Readers always see the current one.
   */
  schemaVersion?: number;
};

/** An event to append. `id` is a UUID v7 chosen by the caller. */
export type NewEvent<Type extends string = string, Data = unknown> = {
  id: string;
  type: Type;
  data: Data;
  metadata: EventMetadata;
};

export type RecordedEvent<Type extends string = string, Data = unknown> = NewEvent<Type, Data> & {
  streamName: string;
  /** 0-based position of the event inside its stream. */
  revision: bigint;
  /** Position in the global log; strictly increasing in append order across all streams. */
  position: bigint;
  /** When the store recorded the event (ISO-8601). */
  recordedAt: string;
};

/**
 * - `no_stream`: the stream must not exist yet.
 * - `stream_exists`: the stream must exist.
 * - `any`: no check.
 * - a bigint: the revision of the stream's last event.
 */
export type ExpectedRevision = 'no_stream' | 'stream_exists' | 'any' | bigint;

export type AppendOptions = { expectedRevision?: ExpectedRevision; expectedLastEventId?: string };

export type AppendResult = {
  /** Revision of the stream's last event after the append. */
  nextExpectedRevision: bigint;
  /** Global position of the last event written (or of the already-present event on an idempotent re-append). */
  position: bigint;
};

export type ReadStreamOptions = {
  direction?: 'forwards' | 'backwards';
  /** Inclusive start revision; defaults to the start (forwards) or the end (backwards). */
  fromRevision?: bigint;
  maxCount?: number;
};

export type ReadAllOptions = {
  /** Exclusive: events strictly after this position. Omit to read from the beginning. */
  after?: bigint;
  maxCount?: number;
  filter?: EventFilter;
};

export type EventFilter = {
  streamNamePrefixes?: string[];
  eventTypes?: string[];
};

export type SubscribeOptions = {
  /** Exclusive: deliver events strictly after this position. Omit to start from the beginning. */
  after?: bigint;
  filter?: EventFilter;
  /**
   * Called once per event, in log order. The next event is not delivered before the
   * returned promise settles; a rejection stops the subscription and reaches `onError`.
   */
  onEvent: (event: RecordedEvent) => Promise<void> | void;
  /** Called each time the subscription has delivered everything that was in the log and goes live. */
  onCaughtUp?: (position: bigint | undefined) => void;
  /** Called when the subscription stops for good because a handler failed. */
  onError?: (error: Error) => void;
};

export type Subscription = {
  /** Stops delivery; resolves when no handler is running any more. */
  stop(): Promise<void>;
};

/**
 * Whether a stream read earlier is still current, answered without reading it (SQLite,
 * where the process sees every commit to its file). Take a `token` before the read; later,
 * `unchanged(stream, revision read, token)` is true only if the stream still ends there.
 */
export type StreamFreshness = {
  token(): number;
  unchanged(streamName: string, revision: bigint | undefined, since: number): boolean;
};

export type EventStore = {
  /**
   * Appends `events` atomically once `expectedRevision` (default `any`) holds; otherwise
   * throws `WrongExpectedRevisionError`. Throws `AppendOutcomeUnknownError` when the store
   * cannot tell whether the append was written (a deadline passed, the connection dropped).
   *
   * Idempotency, no more than EventStoreDB guarantees: appending the same events again (same
   * ids, same order) with the same exact expected revision (a revision or `no_stream`) after
   * the first append was written writes nothing and answers the first append's result, also
   * when other events followed it. With `any` or `stream_exists` a repeated append may be
   * written twice: EventStoreDB checks those against a bounded in-memory cache of recent event
   * ids, lost on restart. (SQLite deduplicates by event id in every case; callers must not
   * count on that.) So a caller that retries an append with an unknown outcome mints the
   * event ids once and uses an exact expected revision (appendUntilKnown.ts).
   *
   * `expectedLastEventId` (only where `checksLastEventId` is true): the append is written
   * only if the stream's last event is that one, else `WrongExpectedRevisionError`.
   */
  appendToStream(streamName: string, events: NewEvent[], options?: AppendOptions): Promise<AppendResult>;
  /**
   * True when appends honour `expectedLastEventId`, so a command may be decided on an
   * append still in flight and chained on it (SQLite). EventStoreDB has no such check.
   */
  readonly checksLastEventId?: boolean;
  readStream(streamName: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;
  /** Where offered, lets a cached stream state skip its catch-up read (StreamFreshness). */
  readonly freshness?: StreamFreshness;
  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]>;
  /** Position of the last event in the log, or undefined when it is empty. */
  headPosition(): Promise<bigint | undefined>;
  /**
   * The event recorded at exactly `position`, a position taken from the log (a checkpoint,
   * the head); undefined when no event is there. Positions are ordered, not consecutive:
   * callers never compute one (EventStoreDB's are byte offsets).
   */
  readEventAt(position: bigint): Promise<RecordedEvent | undefined>;
  /**
   * True when positions are consecutive integers (SQLite's row positions), so a position
   * in between two others is a valid place to read from: history bisects the log by time
   * then. EventStoreDB's positions are byte offsets: reading from a computed one is an error.
   */
  readonly positionsAreDense: boolean;
  /**
   * Looks an event up by id. Only stores that index event ids offer it (SQLite does;
   * EventStoreDB has no such index), so callers fall back to a bounded scan without it.
   */
  readEventById?(eventId: string): Promise<RecordedEvent | undefined>;
  subscribeToAll(options: SubscribeOptions): Subscription;
  close(): Promise<void>;
};

export const positionToString = (position: bigint | undefined): string | null =>
  position === undefined ? null : position.toString();

export const parsePosition = (value: string): bigint => {
  if (!/^\d+$/.test(value)) throw new RangeError(`Not a log position: ${value}`);
  return BigInt(value);
};

export const matchesFilter = (event: { streamName: string; type: string }, filter?: EventFilter): boolean => {
  if (!filter) return true;
  if (filter.streamNamePrefixes && !filter.streamNamePrefixes.some((prefix) => event.streamName.startsWith(prefix))) {
    return false;
  }
  if (filter.eventTypes && !filter.eventTypes.includes(event.type)) return false;
  return true;
};
