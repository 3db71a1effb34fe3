import type { EventMetadata } from '../eventStore/eventStore';

/** Lifts an event's data from one schema version to the next. Pure: same input, same output. */
export type Upcaster = (data: never) => unknown;

/** Per event type that has changed shape: its current version and, per older version n, the step n -> n+1. */
export type EventVersionDefinitions = Record<string, { current: number; upcasters: Record<number, Upcaster> }>;

type Versioned = { type: string; data: unknown; metadata: EventMetadata };

export type UpcasterRegistry = {
  /** The version every new event of this type is written in (1 for a type that never changed). */
  currentVersion: (type: string) => number;
  /** The event in its current shape; events recorded without a version are version 1. */
  upcast: <E extends Versioned>(event: E) => E;
  /** The event stamped with its type's current version, as it is written. */
  stamp: <E extends Versioned>(event: E) => E;
};

/** An event written by a newer release than this one (its reader must be deployed first). */
export class EventFromTheFutureError extends Error {
  constructor(type: string, version: number, current: number) {
    super(`${type} is recorded in schema version ${version}, but this release reads up to version ${current}`);
    this.name = 'EventFromTheFutureError';
  }
}

/**
 * The one place an old event shape becomes the current one. Every reader of the log
 * (deciders, projections, realtime, history) gets events through it, so code only ever
 * handles current shapes; the log itself is never rewritten.
 */
export const createUpcasterRegistry = (definitions: EventVersionDefinitions): UpcasterRegistry => {
  for (const [type, { current, upcasters }] of Object.entries(definitions)) {
    for (let version = 1; version < current; version += 1) {
      if (!upcasters[version]) throw new Error(`${type}: no upcaster from version ${version} to ${version + 1}`);
    }
  }
  const currentVersion = (type: string) => definitions[type]?.current ?? 1;
  return {
    currentVersion,
    upcast: (event) => {
      const current = currentVersion(event.type);
      const recorded = event.metadata.schemaVersion ?? 1;
      if (recorded === current) return event;
      if (recorded > current) throw new EventFromTheFutureError(event.type, recorded, current);
      let data: unknown = event.data;
      for (let version = recorded; version < current; version += 1) {
        data = definitions[event.type].upcasters[version](data as never);
      }
      return { ...event, data, metadata: { ...event.metadata, schemaVersion: current } };
    },
    stamp: (event) => ({ ...event, metadata: { ...event.metadata, schemaVersion: currentVersion(event.type) } }),
  };
};
