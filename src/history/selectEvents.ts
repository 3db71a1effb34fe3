import type { EventStore, RecordedEvent } from '../eventStore/eventStore';
import { streams } from '../commands/streams';
import { positionBeforeTime } from './positionAtTime';
import { mergeByPosition, readAllPages, readStreamEvents, streamLength } from './readEvents';

export type EventSource =
  | { kind: 'log' }
  | { kind: 'stream'; streamName: string }
  /** The channel's stream and its discussion's stream, interleaved in log order. */
  | { kind: 'channel'; channelId: number };

export type EventSelection = {
  source: EventSource;
  eventTypes?: string[];
  /** Inclusive. */
  fromPosition?: bigint;
  /** Inclusive. */
  toPosition?: bigint;
  /** Inclusive, on the store's `recordedAt`. */
  since?: Date;
  /** Exclusive, on the store's `recordedAt`. */
  until?: Date;
};

export type SelectedEvents = {
  /** Progress units in total: log positions for the log, events for streams. */
  total: number;
  /**
   * The selected events in log order, in pages (a page per store read, so that the
   * per-event cost stays a loop, not an async step); `onProgress` receives how far the
   * scan is, in the same units as `total`.
   */
  read: (onProgress?: (done: number) => void) => AsyncGenerator<RecordedEvent[]>;
};

const maxOf = (values: Array<bigint | undefined>): bigint | undefined =>
  values.reduce<bigint | undefined>(
    (max, value) => (value === undefined ? max : max === undefined || value > max ? value : max),
    undefined,
  );

const matches = (event: RecordedEvent, selection: EventSelection): boolean =>
  (!selection.eventTypes || selection.eventTypes.includes(event.type)) &&
  (selection.fromPosition === undefined || event.position >= selection.fromPosition) &&
  (selection.toPosition === undefined || event.position <= selection.toPosition) &&
  (!selection.since || Date.parse(event.recordedAt) >= selection.since.getTime()) &&
  (!selection.until || Date.parse(event.recordedAt) < selection.until.getTime());

/** The discussion attached to a channel, found in the channel's own stream. */
export const discussionOfChannel = async (
  store: EventStore,
  channelId: number,
  pageSize?: number,
): Promise<number | undefined> => {
  let discussionId: number | undefined;
  for await (const event of readStreamEvents(store, streams.channel(channelId), { pageSize })) {
    if (event.type === 'DiscussionAttached') discussionId = (event.data as { discussionId: number }).discussionId;
  }
  return discussionId;
};

const selectFromLog = async (
  store: EventStore,
  selection: EventSelection,
  pageSize?: number,
): Promise<SelectedEvents> => {
  const head = (await store.headPosition()) ?? 0n;
  // `fromPosition` is inclusive and reads are exclusive: the event at it is read on its own,
  // the rest after it (the position before it cannot be computed on every store).
  const { fromPosition } = selection;
  const atFrom = fromPosition === undefined ? undefined : await store.readEventAt(fromPosition);
  const after = maxOf([fromPosition, selection.since ? await positionBeforeTime(store, selection.since) : undefined]);
  let end = selection.toPosition !== undefined && selection.toPosition < head ? selection.toPosition : head;
  if (selection.until) {
    const beforeUntil = (await positionBeforeTime(store, selection.until)) ?? -1n;
    if (beforeUntil < end) end = beforeUntil;
  }
  const start = after ?? 0n;
  const filter = selection.eventTypes ? { eventTypes: selection.eventTypes } : undefined;
  return {
    total: Number(end > start ? end - start : 0n),
    read: async function* (onProgress) {
      if (atFrom && atFrom.position <= end && matches(atFrom, selection)) {
        yield [atFrom];
      }
      for await (const page of readAllPages(store, { after, filter, pageSize })) {
        const inRange = page.filter((event) => event.position <= end);
        const selected = inRange.filter((event) => matches(event, selection));
        if (inRange.length > 0) onProgress?.(Number(inRange[inRange.length - 1].position - start));
        if (selected.length > 0) yield selected;
        if (inRange.length < page.length) break;
      }
      onProgress?.(Number(end > start ? end - start : 0n));
    },
  };
};

const selectFromStreams = async (
  store: EventStore,
  streamNames: string[],
  selection: EventSelection,
  pageSize?: number,
) => {
  const lengths = await Promise.all(streamNames.map((name) => streamLength(store, name)));
  const total = lengths.reduce((sum, length) => sum + length, 0);
  return {
    total,
    read: async function* (onProgress?: (done: number) => void) {
      let scanned = 0;
      let page: RecordedEvent[] = [];
      for await (const event of mergeByPosition(
        streamNames.map((name) => readStreamEvents(store, name, { pageSize })),
      )) {
        scanned++;
        if (matches(event, selection)) page.push(event);
        if (page.length >= (pageSize ?? 1000)) {
          onProgress?.(scanned);
          yield page;
          page = [];
        }
      }
      onProgress?.(scanned);
      if (page.length > 0) yield page;
    },
  };
};

/** Resolves a selection into a bounded-memory stream of events, plus how to report progress on it. */
export const selectEvents = async (
  store: EventStore,
  selection: EventSelection,
  options: { pageSize?: number } = {},
): Promise<SelectedEvents> => {
  const { source } = selection;
  switch (source.kind) {
    case 'log':
      return selectFromLog(store, selection, options.pageSize);
    case 'stream':
      return selectFromStreams(store, [source.streamName], selection, options.pageSize);
    case 'channel': {
      const discussionId = await discussionOfChannel(store, source.channelId, options.pageSize);
      const names = [streams.channel(source.channelId)];
      if (discussionId !== undefined) names.push(streams.discussion(discussionId));
      return selectFromStreams(store, names, selection, options.pageSize);
    }
    default: {
      const unexpected: never = source;
      throw new RangeError(`Unknown source ${JSON.stringify(unexpected)}`);
    }
  }
};
