import { LRUCache } from 'lru-cache';
import { v7 as uuidv7 } from 'uuid';
import { WrongExpectedRevisionError } from '../errors';
import { appendUntilKnown, type AppendRetry } from '../eventStore/appendUntilKnown';
import type { AppendResult, EventMetadata, EventStore, RecordedEvent } from '../eventStore/eventStore';
import { backoffDelayMs, sleep } from '../retry/backoff';
import { createSnapshotting, type Loaded } from './snapshots/snapshotting';
import { createStreamQueues } from './streamQueues';
import type { Snapshots } from './snapshots/snapshotStore';

export type DomainEvent = { type: string; data: unknown };

/** A pure aggregate: no I/O, no clock, no id generation; all of that arrives in the command. */
export type Decider<State, Command, Event extends DomainEvent> = {
  decide: (command: Command, state: State) => Event[];
  evolve: (state: State, event: Event) => State;
  initialState: () => State;
};

export type HandleResult<State, Event extends DomainEvent> = {
  /** The events this command appended (empty when the decision was a no-op). */
  events: Event[];
  state: State;
  /** Position of the stream's last event: the appended one, or the latest before a no-op. */
  position: bigint | undefined;
};

export type { Loaded } from './snapshots/snapshotting';

type Issued<State, Event extends DomainEvent> =
  | { kind: 'noop'; state: State; position: bigint | undefined }
  | { kind: 'append'; decided: Event[]; state: State; appended: Promise<AppendResult> };

export type CommandHandlerOptions<State> = {
  /** How many stream states to keep in memory at most. */
  cacheSize?: number;
  /**
   * How much the cached states may weigh between them, least recently used out first. A state
   * weighs `stateWeight`, by default its stream's length (revision + 1), for states that grow with it.
   */
  cacheEvents?: number;
  stateWeight?: (state: State) => number;
  maxAttempts?: number;
  /** Retries of an append whose outcome is unknown, with the same event ids (appendUntilKnown). */
  appendRetry?: AppendRetry;
  /** Waits before a retry after the second conflict in a row on a stream (default: jittered, 2 ms doubling to 100 ms). */
  conflictBackoff?: (conflicts: number) => Promise<unknown>;
  /** Where a fold starts after a restart or eviction, when the state's snapshots are kept. */
  snapshots?: Snapshots<State>;
};

/**
 * The one command handler: load state (from the cache or a snapshot, catching up from
 * its revision), decide, append with the expected revision; on a conflict, catch up and
 * decide again. Commands on one stream decide one at a time, each once the previous append
 * on it is durable. `command` may be a function of the state, for commands that need it to
 * pick values such as the next id.
 */
export const createCommandHandler = <State, Command, Event extends DomainEvent>(
  store: EventStore,
  decider: Decider<State, Command, Event>,
  options: CommandHandlerOptions<State> = {},
) => {
  const maxAttempts = options.maxAttempts ?? 20;
  const conflictBackoff =
    options.conflictBackoff ??
    ((conflicts) => sleep(backoffDelayMs({ firstMs: 2, maxMs: 100, jitter: true }, conflicts)));
  const { stateWeight } = options;
  const cache = new LRUCache<string, Loaded<State>>({
    max: options.cacheSize ?? 10_000,
    maxSize: options.cacheEvents ?? 1_000_000,
    sizeCalculation: (loaded) => (stateWeight ? stateWeight(loaded.state) : Number(loaded.revision ?? 0n) + 1),
  });
  const snapshotting = options.snapshots && createSnapshotting(store, options.snapshots);
  // Commands on one stream decide one at a time in this process: concurrent requests on a hot
  // stream would otherwise race each other into conflicts and exhaust `maxAttempts`.
  const serialize = createStreamQueues();
  // The append in flight on each stream, settled either way; the next decision and `load` wait for it.
  const inFlight = new Map<string, Promise<void>>();

  /** The stream's state as committed: the cache, caught up from the store. */
  const loadCommitted = async (streamName: string): Promise<Loaded<State>> => {
    const start = await startOfFold(streamName);
    let loaded = start.loaded;
    for (const event of start.events) {
      loaded = {
        state: decider.evolve(loaded.state, { type: event.type, data: event.data } as Event),
        revision: event.revision,
        position: event.position,
        eventId: event.id,
        snapshotRevision: loaded.snapshotRevision,
      };
    }
    remember(streamName, loaded);
    return loaded;
  };

  /** The cached state, else the stream's snapshot, else nothing; and the stream's events after it. */
  const startOfFold = async (streamName: string): Promise<{ loaded: Loaded<State>; events: RecordedEvent[] }> => {
    const cached = cache.get(streamName);
    if (cached) {
      const fromRevision = cached.revision === undefined ? 0n : cached.revision + 1n;
      return { loaded: cached, events: await store.readStream(streamName, { fromRevision }) };
    }
    const restored = await snapshotting?.restore(streamName);
    if (restored) return restored;
    const initial = { state: decider.initialState(), revision: undefined, position: undefined };
    return { loaded: initial, events: await store.readStream(streamName, { fromRevision: 0n }) };
  };

  const remember = (streamName: string, folded: Loaded<State>) => {
    const loaded = snapshotting ? snapshotting.consider(streamName, folded) : folded;
    const cached = cache.get(streamName);
    if (cached?.revision === undefined || (loaded.revision !== undefined && loaded.revision > cached.revision)) {
      cache.set(streamName, loaded);
    }
  };

  /**
   * Decides on the committed stream (after the append in flight, if any, has settled) and
   * issues the append without waiting for it.
   */
  const decideAndIssue = async (
    streamName: string,
    command: Command | ((state: State) => Command | Promise<Command>),
    metadata: EventMetadata,
  ): Promise<Issued<State, Event>> => {
    // Never decide on an append still in flight: if it fails and another writer takes its
    // revision, an append decided on top of it would still pass the expected-revision check
    // and land on a state it was not decided on (a lower id after a higher one).
    await inFlight.get(streamName);
    const basis = await loadCommitted(streamName);
    const resolved =
      typeof command === 'function'
        ? await (command as (state: State) => Command | Promise<Command>)(basis.state)
        : command;
    const decided = decider.decide(resolved, basis.state);
    if (decided.length === 0) return { kind: 'noop', state: basis.state, position: basis.position };
    // Ids minted once per decision: a retry of an append with an unknown outcome sends the same ones.
    const newEvents = decided.map((event) => ({ id: uuidv7(), type: event.type, data: event.data, metadata }));
    const expected = basis.revision ?? 'no_stream';
    const appended = appendUntilKnown(store, streamName, newEvents, expected, options.appendRetry);
    const state = decided.reduce(decider.evolve, basis.state);
    const eventId = newEvents[newEvents.length - 1].id;
    const settled = appended.then(
      (result) =>
        remember(streamName, {
          state,
          revision: result.nextExpectedRevision,
          position: result.position,
          eventId,
          snapshotRevision: basis.snapshotRevision,
        }),
      () => undefined,
    );
    inFlight.set(streamName, settled);
    void settled.then(() => {
      if (inFlight.get(streamName) === settled) inFlight.delete(streamName);
    });
    return { kind: 'append', decided, state, appended };
  };

  const handle = async (
    streamName: string,
    command: Command | ((state: State) => Command | Promise<Command>),
    metadata: EventMetadata,
  ): Promise<HandleResult<State, Event>> => {
    for (let attempt = 1; ;) {
      const issued = await serialize(streamName, () => decideAndIssue(streamName, command, metadata));
      if (issued.kind === 'noop') return { events: [], state: issued.state, position: issued.position };
      try {
        const result = await issued.appended;
        return { events: issued.decided, state: issued.state, position: result.position };
      } catch (error) {
        if (!(error instanceof WrongExpectedRevisionError) || attempt >= maxAttempts) throw error;
        // A first conflict retries at once: another writer appended, catch up and decide again. Losing
        // again means writers in other processes race for the stream; retrying at once, the
        // slowest of them loses every time until its attempts run out.
        if (attempt > 1) await conflictBackoff(attempt - 1);
        attempt += 1;
      }
    }
  };

  /** The committed state, once the append in flight when called (if any) has settled. */
  const load = async (streamName: string): Promise<Loaded<State>> => {
    await inFlight.get(streamName);
    return loadCommitted(streamName);
  };

  return {
    handle,
    load: async (streamName: string) => (await load(streamName)).state,
    loadWithPosition: (streamName: string) => load(streamName),
  };
};

export type CommandHandler<State, Command, Event extends DomainEvent> = ReturnType<
  typeof createCommandHandler<State, Command, Event>
>;
