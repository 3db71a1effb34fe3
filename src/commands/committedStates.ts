import { LRUCache } from 'lru-cache';
import type { EventStore, RecordedEvent } from '../eventStore/eventStore';
import type { Decider, DomainEvent } from './commandHandler';
import { createSnapshotting, type Loaded } from './snapshots/snapshotting';
import type { Snapshots } from './snapshots/snapshotStore';

export type CommittedStatesOptions<State> = {
  /** How many stream states to keep in memory at most. */
  cacheSize?: number;
  /**
   * How much the cached states may weigh between them, least recently used out first. A state
   * weighs `stateWeight`, by default its stream's length (revision + 1), for states that grow with it.
   */
  cacheEvents?: number;
  stateWeight?: (state: State) => number;
  /** Where a fold starts after a restart or eviction, when the state's snapshots are kept. */
  snapshots?: Snapshots<State>;
};

/**
 * One command handler's streams as committed: folded states kept in memory (least recently
 * used out), caught up from the store on load, or taken as they are when the store can tell
 * nothing reached the stream since (`freshness`); a fold starts from a snapshot when one is kept.
 */
export const createCommittedStates = <State, Event extends DomainEvent>(
  store: EventStore,
  decider: Pick<Decider<State, never, Event>, 'evolve' | 'initialState'>,
  options: CommittedStatesOptions<State>,
) => {
  const { stateWeight } = options;
  const cache = new LRUCache<string, Loaded<State>>({
    max: options.cacheSize ?? 10_000,
    maxSize: options.cacheEvents ?? 1_000_000,
    sizeCalculation: (loaded) => (stateWeight ? stateWeight(loaded.state) : Number(loaded.revision ?? 0n) + 1),
  });
  const snapshotting = options.snapshots && createSnapshotting(store, options.snapshots);

  /** The cached state, else the stream's snapshot, else nothing; and the stream's events after it. */
  const startOfFold = async (
    streamName: string,
    cached: Loaded<State> | undefined,
  ): Promise<{ loaded: Loaded<State>; events: RecordedEvent[] }> => {
    if (cached) {
      const fromRevision = cached.revision === undefined ? 0n : cached.revision + 1n;
      return { loaded: cached, events: await store.readStream(streamName, { fromRevision }) };
    }
    const restored = await snapshotting?.restore(streamName);
    if (restored) return restored;
    const initial = { state: decider.initialState(), revision: undefined, position: undefined };
    return { loaded: initial, events: await store.readStream(streamName, { fromRevision: 0n }) };
  };

  /** Keeps a state unless the cache holds a later one; at the same revision, the later read's token. */
  const remember = (streamName: string, folded: Loaded<State>) => {
    const loaded = snapshotting ? snapshotting.consider(streamName, folded) : folded;
    const cached = cache.get(streamName);
    if (cached?.revision === undefined || (loaded.revision !== undefined && loaded.revision >= cached.revision)) {
      cache.set(streamName, loaded);
    }
  };

  /**
   * The stream's state as committed. `mayTrustCache` false (after a failed attempt) always
   * reads, whatever the store's freshness says.
   */
  const load = async (streamName: string, mayTrustCache = true): Promise<Loaded<State>> => {
    const { freshness } = store;
    const cached = cache.get(streamName);
    const current =
      mayTrustCache &&
      cached?.freshAsOf !== undefined &&
      freshness?.unchanged(streamName, cached.revision, cached.freshAsOf);
    if (current) return cached;
    // Taken before the read: a commit landing during the read is recorded at the next check, never missed.
    const freshAsOf = freshness?.token();
    const start = await startOfFold(streamName, cached);
    let loaded: Loaded<State> = { ...start.loaded, freshAsOf };
    for (const event of start.events) {
      loaded = {
        state: decider.evolve(loaded.state, { type: event.type, data: event.data } as Event),
        revision: event.revision,
        position: event.position,
        eventId: event.id,
        snapshotRevision: loaded.snapshotRevision,
        freshAsOf,
      };
    }
    remember(streamName, loaded);
    return loaded;
  };

  return { load, remember };
};
