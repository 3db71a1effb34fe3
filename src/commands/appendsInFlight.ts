import type { AppendOptions, AppendResult, ExpectedRevision, NewEvent } from '../eventStore/eventStore';
import type { Loaded } from './snapshots/snapshotting';

/** An append issued and not yet settled, with the state it leaves the stream in if it commits. */
export type InFlightAppend<State> = {
  loaded: Loaded<State>;
  lastEventId: string;
  /** Settles (never rejects) once the append has. */
  settled: Promise<void>;
  /** An append before it on the stream failed, so its own precondition fails too. */
  doomed: boolean;
};

/**
 * The appends in flight on each stream of one command handler, in issue order. The last
 * one is a tip a command may be decided on and chained to (expected last event id); once
 * any append fails, every one after it is doomed and no command is chained to them.
 */
export const createAppendsInFlight = <State>() => {
  const chains = new Map<string, Array<InFlightAppend<State>>>();

  /** The last append in flight on the stream, if a command can be chained to it. */
  const tip = (streamName: string): InFlightAppend<State> | undefined => {
    const last = chains.get(streamName)?.at(-1);
    return last && !last.doomed ? last : undefined;
  };

  /** Resolves once every append in flight on the stream when called has settled. */
  const settled = async (streamName: string): Promise<void> => {
    const chain = chains.get(streamName);
    if (chain) await Promise.all(chain.map((append) => append.settled));
  };

  const add = (
    streamName: string,
    append: Omit<InFlightAppend<State>, 'settled' | 'doomed'>,
    done: Promise<boolean>,
  ) => {
    const entry: InFlightAppend<State> = { ...append, doomed: false, settled: Promise.resolve() };
    entry.settled = done.then((ok) => {
      const chain = chains.get(streamName) ?? [];
      const index = chain.indexOf(entry);
      if (index < 0) return;
      if (!ok) chain.slice(index + 1).forEach((later) => (later.doomed = true));
      chain.splice(index, 1);
      if (chain.length === 0) chains.delete(streamName);
    });
    const chain = chains.get(streamName);
    if (chain) chain.push(entry);
    else chains.set(streamName, [entry]);
  };

  /**
   * Issues an append decided on `basis`, chained to `tip` when given (its last event id is
   * expected), and tracks it until it settles; `onCommitted` hears the committed state first.
   */
  const issue = (
    streamName: string,
    args: {
      append: (options: AppendOptions & { expectedRevision: ExpectedRevision }) => Promise<AppendResult>;
      basis: Loaded<State>;
      state: State;
      events: NewEvent[];
      tip: InFlightAppend<State> | undefined;
      onCommitted: (loaded: Loaded<State>) => void;
    },
  ): Promise<AppendResult> => {
    const { basis, state, events, tip } = args;
    const eventId = events[events.length - 1].id;
    const expectedRevision = basis.revision ?? 'no_stream';
    const appended = args.append({ expectedRevision, ...(tip && { expectedLastEventId: tip.lastEventId }) });
    // The basis's freshness token still holds for the state after this append: the append
    // itself checks that nothing else reached the stream in between (its expected revision,
    // or the last event id of the append it is chained to).
    const { snapshotRevision, freshAsOf } = basis;
    const done = appended.then(
      ({ nextExpectedRevision: revision, position }) => {
        args.onCommitted({ state, revision, position, eventId, snapshotRevision, freshAsOf });
        return true;
      },
      () => false,
    );
    const revision = (basis.revision ?? -1n) + BigInt(events.length);
    add(
      streamName,
      { loaded: { state, revision, position: undefined, eventId, snapshotRevision, freshAsOf }, lastEventId: eventId },
      done,
    );
    return appended;
  };

  return { tip, settled, issue };
};
