import {
  ANY,
  NO_STREAM,
  STREAM_EXISTS,
  eventTypeFilter,
  excludeSystemEvents,
  jsonEvent,
  streamNameFilter,
  type AllStreamResolvedEvent,
  type AppendExpectedRevision,
  type CurrentRevision,
  type Filter,
  type JSONType,
  type Position,
  type ResolvedEvent,
} from '@eventstore/db-client';
import type { EventFilter, EventMetadata, ExpectedRevision, NewEvent, RecordedEvent } from './eventStore';

/** Stream reads on servers before 22.6 carry no $all position; the client reports it as the max unsigned value. */
const NO_POSITION = 2n ** 63n;

export const toDbExpectedRevision = (expected: ExpectedRevision): AppendExpectedRevision => {
  if (typeof expected === 'bigint') return expected;
  switch (expected) {
    case 'no_stream':
      return NO_STREAM;
    case 'stream_exists':
      return STREAM_EXISTS;
    case 'any':
      return ANY;
    default: {
      const unknown: never = expected;
      throw new RangeError(`Unknown expected revision ${String(unknown)}`);
    }
  }
};

export const describeRevision = (revision: AppendExpectedRevision | CurrentRevision): string =>
  typeof revision === 'bigint' ? revision.toString() : revision;

export const toDbEvent = (event: NewEvent) =>
  jsonEvent({ id: event.id, type: event.type, data: event.data as JSONType, metadata: event.metadata });

/** Our positions are commit positions; each event of an ordinary append has its own (commit = prepare). */
export const toDbPosition = (position: bigint): Position => ({ commit: position, prepare: position });

export const isSystemEvent = (streamName: string, type: string): boolean =>
  streamName.startsWith('$') || type.startsWith('$');

/** Maps a resolved event; undefined for what the port never exposes (system events, unresolved links). */
export const toRecordedEvent = (resolved: AllStreamResolvedEvent | ResolvedEvent): RecordedEvent | undefined => {
  const event = resolved.event;
  if (!event || isSystemEvent(event.streamId, event.type)) return undefined;
  const commit = event.position?.commit ?? resolved.commitPosition;
  if (commit === undefined || commit >= NO_POSITION) {
    throw new Error(
      `EventStoreDB returned event ${event.id} without a $all position; KurrentDB/EventStoreDB >= 22.6 is required`,
    );
  }
  return {
    id: event.id,
    type: event.type,
    data: event.isJson ? event.data : Buffer.from(event.data).toString('base64'),
    metadata: event.metadata as EventMetadata,
    streamName: event.streamId,
    revision: event.revision,
    position: commit,
    recordedAt: event.created.toISOString(),
  };
};

/**
 * The server filters on one dimension only: stream prefixes when given (which also
 * leaves out `$` streams), else event-type prefixes, else system events. The exact
 * filter is applied again on the client.
 */
export const toDbFilter = (
  filter: EventFilter | undefined,
  checkpointReached: NonNullable<Filter['checkpointReached']>,
): Filter => {
  if (filter?.streamNamePrefixes?.length) {
    return streamNameFilter({ prefixes: filter.streamNamePrefixes, checkpointInterval: 1, checkpointReached });
  }
  if (filter?.eventTypes?.length) {
    return eventTypeFilter({ prefixes: filter.eventTypes, checkpointInterval: 1, checkpointReached });
  }
  return excludeSystemEvents({ checkpointInterval: 1, checkpointReached });
};
