import { LRUCache } from 'lru-cache';
import { v7 as uuidv7 } from 'uuid';
import { WrongExpectedRevisionError } from '../errors';
import type { EventMetadata, EventStore } from '../eventStore/eventStore';

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

export type Loaded<State> = { state: State; revision: bigint | undefined; position: bigint | undefined };

export type CommandHandlerOptions = {
  /** How many stream states to keep in memory at most. */
  cacheSize?: number;
  /**
   * How many events the cached states may hold between them, least recently used out
   * first: a state's memory grows with its stream (a channel holds its posts), so a count
   * of streams alone does not bound it.
   */
  cacheEvents?: number;
  maxAttempts?: number;
};

/**
 * The one command handler: load state (from the cache, catching up from the cached
 * revision), decide, append with the expected revision; on a conflict, catch up and
 * decide again. `command` may be a function of the state, for commands that need it to
 * pick values such as the next id.
 */
export const createCommandHandler = <State, Command, Event extends DomainEvent>(
  store: EventStore,
  decider: Decider<State, Command, Event>,
  options: CommandHandlerOptions = {},
) => {
  const maxAttempts = options.maxAttempts ?? 20;
  const cache = new LRUCache<string, Loaded<State>>({
    max: options.cacheSize ?? 10_000,
    maxSize: options.cacheEvents ?? 1_000_000,
    // A stream's length is its last revision + 1: the weight of the state folded from it.
    sizeCalculation: (loaded) => Number(loaded.revision ?? 0n) + 1,
  });
  // Commands on one stream run one at a time in this process: concurrent requests on a hot
  // stream would otherwise race each other into conflicts and exhaust `maxAttempts`.
  const queues = new Map<string, Promise<unknown>>();

  const serialize = <T>(streamName: string, work: () => Promise<T>): Promise<T> => {
    const previous = queues.get(streamName) ?? Promise.resolve();
    const run = previous.then(work, work);
    const settled = run.then(
      () => undefined,
      () => undefined,
    );
    queues.set(streamName, settled);
    void settled.then(() => {
      if (queues.get(streamName) === settled) queues.delete(streamName);
    });
    return run;
  };

  const load = async (streamName: string): Promise<Loaded<State>> => {
    let loaded = cache.get(streamName) ?? { state: decider.initialState(), revision: undefined, position: undefined };
    const fromRevision = loaded.revision === undefined ? 0n : loaded.revision + 1n;
    const events = await store.readStream(streamName, { fromRevision });
    for (const event of events) {
      loaded = {
        state: decider.evolve(loaded.state, { type: event.type, data: event.data } as Event),
        revision: event.revision,
        position: event.position,
      };
    }
    cache.set(streamName, loaded);
    return loaded;
  };

  const handleNow = async (
    streamName: string,
    command: Command | ((state: State) => Command | Promise<Command>),
    metadata: EventMetadata,
  ): Promise<HandleResult<State, Event>> => {
    for (let attempt = 1; ; attempt++) {
      const loaded = await load(streamName);
      const resolved =
        typeof command === 'function'
          ? await (command as (state: State) => Command | Promise<Command>)(loaded.state)
          : command;
      const decided = decider.decide(resolved, loaded.state);
      if (decided.length === 0) return { events: [], state: loaded.state, position: loaded.position };
      const newEvents = decided.map((event) => ({ id: uuidv7(), type: event.type, data: event.data, metadata }));
      try {
        const result = await store.appendToStream(streamName, newEvents, {
          expectedRevision: loaded.revision ?? 'no_stream',
        });
        const state = decided.reduce(decider.evolve, loaded.state);
        cache.set(streamName, { state, revision: result.nextExpectedRevision, position: result.position });
        return { events: decided, state, position: result.position };
      } catch (error) {
        if (!(error instanceof WrongExpectedRevisionError) || attempt >= maxAttempts) throw error;
      }
    }
  };

  const handle = (
    streamName: string,
    command: Command | ((state: State) => Command | Promise<Command>),
    metadata: EventMetadata,
  ): Promise<HandleResult<State, Event>> => serialize(streamName, () => handleNow(streamName, command, metadata));

  return {
    handle,
    load: async (streamName: string) => (await load(streamName)).state,
    loadWithPosition: (streamName: string) => load(streamName),
  };
};

export type CommandHandler<State, Command, Event extends DomainEvent> = ReturnType<
  typeof createCommandHandler<State, Command, Event>
>;
