import type { StreamAppend } from './sqliteAppend';

/** Strings per event in `EncodedAppend.events`: id, type, data JSON, metadata JSON. */
export const FIELDS_PER_EVENT = 4;

/**
 * An append as it crosses to the writer thread: the events one flat array of strings,
 * their data and metadata already JSON. The structured clone of strings is a copy; of the
 * event objects it walked every field, once on each thread (for a 10-event append about
 * 60 µs against 25 µs, JSON included).
 */
export type EncodedAppend = Omit<StreamAppend, 'events'> & { events: string[] };

export const encodeAppend = (append: StreamAppend): EncodedAppend => {
  const events: string[] = [];
  for (const { id, type, data, metadata } of append.events) {
    events.push(id, type, JSON.stringify(data), JSON.stringify(metadata));
  }
  const { streamName, expectedRevision, expectedLastEventId, recordedAt } = append;
  return { streamName, events, expectedRevision, expectedLastEventId, recordedAt };
};
