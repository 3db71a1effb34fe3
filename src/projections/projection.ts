import type { ChannelEvent } from '../commands/channel/channelEvents';
import type { DiscussionEvent } from '../commands/discussion/discussionEvents';
import type { MembershipEvent } from '../commands/membership/membershipEvents';
import type { SequenceEvent } from '../commands/sequence/sequenceEvents';
import type { UserAccessEvent } from '../commands/userAccess/userAccessEvents';
import type { RecordedEvent } from '../eventStore/eventStore';
import type { CollectionSpec, Document, Query } from '../readModels/readModelStore';

/** What a projection may do while applying one event; writes are stamped with the event's position. */
export type ProjectionWriter = {
  get: <T extends Document>(collection: string, key: string) => Promise<T | undefined>;
  find: <T extends Document>(collection: string, query: Query) => Promise<T[]>;
  put: (collection: string, key: string, doc: Document) => Promise<void>;
  delete: (collection: string, key: string) => Promise<void>;
};

/**
 * One read model: the collections it owns and how each event changes them.
 * `apply` must be deterministic (no clock, no randomness): a rebuild must reproduce
 * the live read model exactly. Events of types not in `eventTypes` are not passed in.
 * An event it cannot apply (e.g. a post edit for an unknown post) must throw: the
 * runner stops with an error naming the event rather than skip it silently.
 */
export type Projection = {
  name: string;
  collections: CollectionSpec[];
  eventTypes: string[];
  apply: (event: RecordedEvent, writer: ProjectionWriter) => Promise<void>;
};

/** Every event the write side appends, in its current shape. */
export type AnyEvent = ChannelEvent | DiscussionEvent | MembershipEvent | UserAccessEvent | SequenceEvent;

/** The recorded events of a union, still discriminated by `type` (a switch narrows `data`). */
export type RecordedOf<Event extends AnyEvent> = Event extends AnyEvent
  ? RecordedEvent<Event['type'], Event['data']>
  : never;

/**
 * Declares a projection whose filter is typed against the event union (as Emmett's
 * `canHandle`): `eventTypes` may name only events that exist, and `apply` receives exactly
 * the events listed, so an exhaustive switch in it fails to compile when the list and the
 * handler drift apart. The runner passes only listed types; anything else is refused here.
 */
export const defineProjection = <const Types extends readonly AnyEvent['type'][]>(projection: {
  name: string;
  collections: CollectionSpec[];
  eventTypes: Types;
  apply: (event: RecordedOf<Extract<AnyEvent, { type: Types[number] }>>, writer: ProjectionWriter) => Promise<void>;
}): Projection => {
  const handled = new Set<string>(projection.eventTypes);
  const isHandled = (event: RecordedEvent): event is RecordedOf<Extract<AnyEvent, { type: Types[number] }>> =>
    handled.has(event.type);
  return {
    name: projection.name,
    collections: projection.collections,
    eventTypes: [...projection.eventTypes],
    apply: async (event, writer) => {
      if (!isHandled(event)) throw new Error(`${projection.name} does not handle ${event.type}`);
      return projection.apply(event, writer);
    },
  };
};

export class ProjectionError extends Error {
  constructor(
    readonly projection: string,
    readonly event: Pick<RecordedEvent, 'id' | 'type' | 'streamName' | 'revision' | 'position'>,
    override readonly cause: unknown,
  ) {
    super(
      `Projection ${projection} cannot apply ${event.type} ${event.id} ` +
        `(${event.streamName}@${event.revision}, position ${event.position}): ${
          cause instanceof Error ? cause.message : String(cause)
        }`,
    );
    this.name = 'ProjectionError';
  }
}

/** The read-model store failed underneath a projection (busy, full, unreachable): transient, retried. */
export class ReadModelWriteError extends Error {
  constructor(override readonly cause: unknown) {
    super(`Read-model store failed: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = 'ReadModelWriteError';
  }
}
