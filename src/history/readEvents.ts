import type { EventFilter, EventStore, RecordedEvent } from '../eventStore/eventStore';

export const DEFAULT_PAGE_SIZE = 1000;

/** The log after `after` (exclusive) one page at a time, never holding more than one page. */
export async function* readAllPages(
  store: EventStore,
  options: { after?: bigint; filter?: EventFilter; pageSize?: number } = {},
): AsyncGenerator<RecordedEvent[]> {
  const pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
  let after = options.after;
  for (;;) {
    const page = await store.readAll({ after, maxCount: pageSize, filter: options.filter });
    if (page.length > 0) yield page;
    if (page.length < pageSize) return;
    after = page[page.length - 1].position;
  }
}

/** Every event of the log after `after` (exclusive), read page by page. */
export async function* readAllEvents(
  store: EventStore,
  options: { after?: bigint; filter?: EventFilter; pageSize?: number } = {},
): AsyncGenerator<RecordedEvent> {
  for await (const page of readAllPages(store, options)) yield* page;
}

/** One stream's events in revision order, page by page. */
export async function* readStreamEvents(
  store: EventStore,
  streamName: string,
  options: { pageSize?: number } = {},
): AsyncGenerator<RecordedEvent> {
  const pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
  let fromRevision = 0n;
  for (;;) {
    const page = await store.readStream(streamName, { fromRevision, maxCount: pageSize });
    yield* page;
    if (page.length < pageSize) return;
    fromRevision = page[page.length - 1].revision + 1n;
  }
}

/** Merges event sequences that are each in log order into one sequence in log order. */
export async function* mergeByPosition(sources: Array<AsyncIterable<RecordedEvent>>): AsyncGenerator<RecordedEvent> {
  const iterators = sources.map((source) => source[Symbol.asyncIterator]());
  const heads = await Promise.all(iterators.map((iterator) => iterator.next()));
  for (;;) {
    let next = -1;
    heads.forEach((head, index) => {
      if (head.done) return;
      const current = heads[next];
      if (next === -1 || (!current.done && head.value.position < current.value.position)) next = index;
    });
    if (next === -1) return;
    const head = heads[next] as IteratorYieldResult<RecordedEvent>;
    yield head.value;
    heads[next] = await iterators[next].next();
  }
}

/** Number of events in a stream (its last revision + 1), without reading it. */
export const streamLength = async (store: EventStore, streamName: string): Promise<number> => {
  const [last] = await store.readStream(streamName, { direction: 'backwards', maxCount: 1 });
  return last ? Number(last.revision) + 1 : 0;
};
