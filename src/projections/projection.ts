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
