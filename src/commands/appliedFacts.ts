import type { EventStore } from '../eventStore/eventStore';

const PAGE = 1000;

/**
 * Channel and discussion states hold no posts or messages (they would grow with them, and
 * so would their snapshots): a command on one post or message loads it with this. The read
 * model has it as of its projection's position `after`; the stream's events past that
 * position (a short stretch while the projector keeps up) bring it up to the log head, so
 * one written a moment ago, by this process or another, is found. Each change sets its
 * fields outright, so applying one the read model already holds again is harmless. Read
 * after the stream's state, this is at least as new as that state; if newer, the append's
 * expected revision refuses the decision and it is taken again.
 */
export const foldAfterApplied = async <Item, Event>(deps: {
  eventStore: Pick<EventStore, 'readAll'>;
  after: bigint | undefined;
  streamName: string;
  eventTypes: string[];
  fromReadModel: Item | undefined;
  fold: (item: Item | undefined, event: Event) => Item | undefined;
}): Promise<Item | undefined> => {
  const { eventStore, streamName, fold } = deps;
  let item = deps.fromReadModel;
  const filter = { streamNamePrefixes: [streamName], eventTypes: deps.eventTypes };
  for (let after = deps.after; ;) {
    const page = await eventStore.readAll({ after, maxCount: PAGE, filter });
    for (const event of page) {
      // A prefix filter: `discussion-1` also matches `discussion-12`.
      if (event.streamName === streamName) item = fold(item, event as unknown as Event);
    }
    if (page.length < PAGE) return item;
    after = page[page.length - 1].position;
  }
};
