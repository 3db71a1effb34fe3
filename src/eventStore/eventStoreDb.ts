import {
  BACKWARDS,
  CancelledError,
  DeadlineExceededError,
  END,
  EventStoreDBClient,
  FORWARDS,
  NotLeaderError,
  START,
  StreamNotFoundError,
  TimeoutError,
  UnavailableError,
  WrongExpectedVersionError,
  type ReadPosition,
} from '@eventstore/db-client';
import { AppendOutcomeUnknownError, WrongExpectedRevisionError } from '../errors';
import { createEventStoreDbSubscription, type SubscriptionLogger } from './eventStoreDbSubscription';
import {
  describeRevision,
  toDbEvent,
  toDbExpectedRevision,
  toDbPosition,
  toRecordedEvent,
} from './eventStoreDbMapping';
import {
  matchesFilter,
  type AppendResult,
  type EventStore,
  type ReadAllOptions,
  type RecordedEvent,
} from './eventStore';

export type EventStoreDbOptions = {
  /** e.g. esdb://localhost:2113?tls=false (kurrentdb:// is accepted too). */
  connectionString: string;
  logger?: SubscriptionLogger;
};

// The v6 client only knows the esdb scheme; KurrentDB accepts the same connection strings.
const toClientConnectionString = (value: string): string => value.replace(/^kurrent(?:db)?(\+discover)?:/, 'esdb$1:');

/**
 * Transport failures of an append: the server may have written it (a deadline, a dropped
 * connection, a server-side commit timeout), or surely did not (not the leader). Either
 * way the same append may be sent again.
 */
const isTransportFailure = (error: unknown): boolean =>
  [DeadlineExceededError, UnavailableError, TimeoutError, CancelledError, NotLeaderError].some(
    (type) => error instanceof type,
  );

/** The production event store: KurrentDB / EventStoreDB over gRPC. */
export const createEventStoreDbEventStore = (options: EventStoreDbOptions): EventStore => {
  const client = EventStoreDBClient.connectionString(toClientConnectionString(options.connectionString));

  const readStream: EventStore['readStream'] = async (streamName, readOptions = {}) => {
    if (readOptions.maxCount === 0) return [];
    const backwards = readOptions.direction === 'backwards';
    const events: RecordedEvent[] = [];
    try {
      const read = client.readStream(streamName, {
        direction: backwards ? BACKWARDS : FORWARDS,
        fromRevision: readOptions.fromRevision ?? (backwards ? END : START),
        maxCount: readOptions.maxCount ?? Number.MAX_SAFE_INTEGER,
      });
      for await (const resolved of read) {
        const event = toRecordedEvent(resolved);
        if (event) events.push(event);
      }
    } catch (error) {
      if (error instanceof StreamNotFoundError) return [];
      throw error;
    }
    return events;
  };

  /** Position of the stream's last event, for servers that leave it out of an idempotent append's result. */
  const lastPositionOf = async (streamName: string, revision: bigint): Promise<bigint> => {
    const [event] = await readStream(streamName, { direction: 'backwards', fromRevision: revision, maxCount: 1 });
    if (!event) throw new Error(`EventStoreDB acknowledged an append to ${streamName} that cannot be read back`);
    return event.position;
  };

  const appendToStream: EventStore['appendToStream'] = async (streamName, events, appendOptions) => {
    if (events.length === 0) throw new RangeError('Nothing to append');
    const expected = appendOptions?.expectedRevision ?? 'any';
    try {
      const result = await client.appendToStream(streamName, events.map(toDbEvent), {
        expectedRevision: toDbExpectedRevision(expected),
      });
      const position = result.position?.commit ?? (await lastPositionOf(streamName, result.nextExpectedRevision));
      return { nextExpectedRevision: result.nextExpectedRevision, position } satisfies AppendResult;
    } catch (error) {
      if (error instanceof WrongExpectedVersionError) {
        throw new WrongExpectedRevisionError(
          streamName,
          describeRevision(error.expectedVersion ?? toDbExpectedRevision(expected)),
          describeRevision(error.actualVersion),
        );
      }
      if (isTransportFailure(error)) throw new AppendOutcomeUnknownError(streamName, error);
      throw error;
    }
  };

  const readAll = async (readOptions: ReadAllOptions = {}): Promise<RecordedEvent[]> => {
    const maxCount = readOptions.maxCount ?? Number.MAX_SAFE_INTEGER;
    if (maxCount === 0) return [];
    const { after } = readOptions;
    const events: RecordedEvent[] = [];
    // The server reads $all from a position inclusively and cannot filter plain reads: both are done here.
    const read = client.readAll({
      direction: FORWARDS,
      fromPosition: after === undefined ? START : toDbPosition(after),
    });
    try {
      for await (const resolved of read) {
        const event = toRecordedEvent(resolved);
        if (!event || (after !== undefined && event.position <= after)) continue;
        if (!matchesFilter(event, readOptions.filter)) continue;
        events.push(event);
        if (events.length >= maxCount) break;
      }
    } finally {
      await read.cancel().catch(() => undefined);
    }
    return events;
  };

  /** The first of our (non-system) events read from `from` in `direction`. */
  const firstEvent = async (direction: typeof FORWARDS | typeof BACKWARDS, from: ReadPosition) => {
    const read = client.readAll({ direction, fromPosition: from });
    try {
      for await (const resolved of read) {
        const event = toRecordedEvent(resolved);
        if (event) return event;
      }
      return undefined;
    } finally {
      await read.cancel().catch(() => undefined);
    }
  };

  const headPosition = async (): Promise<bigint | undefined> => (await firstEvent(BACKWARDS, END))?.position;

  // $all reads from a position inclusively, and the position is an event's own (never computed).
  const readEventAt = async (position: bigint): Promise<RecordedEvent | undefined> => {
    const event = await firstEvent(FORWARDS, toDbPosition(position));
    return event?.position === position ? event : undefined;
  };

  const subscribeToAll: EventStore['subscribeToAll'] = (subscribeOptions) =>
    createEventStoreDbSubscription({ client, headPosition, logger: options.logger, ...subscribeOptions });

  const close = async () => {
    await client.dispose();
  };

  return {
    appendToStream,
    readStream,
    readAll,
    headPosition,
    readEventAt,
    positionsAreDense: false,
    subscribeToAll,
    close,
  };
};
