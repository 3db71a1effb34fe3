import { v7 as uuidv7 } from 'uuid';
import { StreamContendedError, WrongExpectedRevisionError } from '../errors';
import { appendUntilKnown, type AppendRetry } from '../eventStore/appendUntilKnown';
import type { AppendResult, EventMetadata, EventStore } from '../eventStore/eventStore';
import { backoffDelayMs, sleep } from '../retry/backoff';
import { createAppendsInFlight } from './appendsInFlight';
import { createCommittedStates, type CommittedStatesOptions } from './committedStates';
import type { Loaded } from './snapshots/snapshotting';
import { createStreamQueues } from './streamQueues';

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
  | { kind: 'append'; decided: Event[]; state: State; appended: Promise<AppendResult> }
  | { kind: 'undecided' }; // refused or a no-op on an append in flight: decide on the committed stream

export type CommandHandlerOptions<State> = CommittedStatesOptions<State> & {
  maxAttempts?: number;
  /** Retries of an append whose outcome is unknown, with the same event ids (appendUntilKnown). */
  appendRetry?: AppendRetry;
  /** Waits before a retry after the second conflict in a row on a stream (default: jittered, 2 ms doubling to 100 ms). */
  conflictBackoff?: (conflicts: number) => Promise<unknown>;
};

/**
 * The one command handler: load state (committedStates: cached, else from a snapshot, caught up from its
 * revision), decide, append with the expected revision; on a conflict, catch up and decide
 * again. Commands on one stream decide one at a time, on the state the append in flight will
 * leave (chained to it) or, where the store cannot chain, once it is durable. `command` may
 * be a function of the state, for commands that need it to pick values such as the next id.
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
  const committed = createCommittedStates(store, decider, options);
  // Commands on one stream decide one at a time in this process: concurrent requests on a hot
  // stream would otherwise race each other into conflicts and exhaust `maxAttempts`.
  const serialize = createStreamQueues();
  const inFlight = createAppendsInFlight<State>();

  /**
   * Decides on the tip of the appends in flight, chained to it (when `mayChain` and the store
   * checks last event ids), else on the committed stream once they have settled; issues the
   * append without waiting for it (appendsInFlight.ts says why the chain needs the event id).
   */
  const decideAndIssue = async (
    streamName: string,
    command: Command | ((state: State) => Command | Promise<Command>),
    metadata: EventMetadata,
    mayChain: boolean,
  ): Promise<Issued<State, Event>> => {
    const tip = mayChain && store.checksLastEventId ? inFlight.tip(streamName) : undefined;
    if (!tip) await inFlight.settled(streamName);
    const basis = tip?.loaded ?? (await committed.load(streamName, mayChain));
    let decided: Event[];
    try {
      const resolved = typeof command === 'function' ? await (command as (s: State) => Command)(basis.state) : command;
      decided = decider.decide(resolved, basis.state);
    } catch (error) {
      // Refused on a state that may never be committed: only the committed stream may refuse.
      if (tip) return { kind: 'undecided' };
      throw error;
    }
    if (decided.length === 0) {
      return tip ? { kind: 'undecided' } : { kind: 'noop', state: basis.state, position: basis.position };
    }
    // Ids minted once per decision: a retry of an append with an unknown outcome sends the same ones.
    const newEvents = decided.map((event) => ({ id: uuidv7(), type: event.type, data: event.data, metadata }));
    const state = decided.reduce(decider.evolve, basis.state);
    const appended = inFlight.issue(streamName, {
      append: (appendOptions) => appendUntilKnown(store, streamName, newEvents, appendOptions, options.appendRetry),
      basis,
      state,
      events: newEvents,
      tip,
      onCommitted: (loaded) => committed.remember(streamName, loaded),
    });
    return { kind: 'append', decided, state, appended };
  };

  const handle = async (
    streamName: string,
    command: Command | ((state: State) => Command | Promise<Command>),
    metadata: EventMetadata,
  ): Promise<HandleResult<State, Event>> => {
    for (let attempt = 1, mayChain = true; ;) {
      const issued = await serialize(streamName, () => decideAndIssue(streamName, command, metadata, mayChain));
      // After a failure, decide on the committed stream: the appends still in flight may be doomed too.
      mayChain = false;
      if (issued.kind === 'undecided') continue;
      if (issued.kind === 'noop') return { events: [], state: issued.state, position: issued.position };
      try {
        const result = await issued.appended;
        return { events: issued.decided, state: issued.state, position: result.position };
      } catch (error) {
        if (!(error instanceof WrongExpectedRevisionError)) throw error;
        if (attempt >= maxAttempts) throw new StreamContendedError(streamName, error);
        // A first conflict retries at once (catch up, decide again); losing again means writers in other
        // processes race for the stream, and retrying at once the slowest would lose every time.
        if (attempt > 1) await conflictBackoff(attempt - 1);
        attempt += 1;
      }
    }
  };

  /** The committed state, once the appends in flight when called (if any) have settled. */
  const load = async (streamName: string): Promise<Loaded<State>> => {
    await inFlight.settled(streamName);
    return committed.load(streamName);
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
