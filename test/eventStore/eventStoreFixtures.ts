import { v7 as uuidv7 } from 'uuid';
import type { EventStore, NewEvent, RecordedEvent } from '../../src/eventStore/eventStore';

/** What an adapter's test file gives the contract suite. */
export type StoreUnderTest = {
  store: EventStore;
  /** Closes nothing; opens another handle on the same data (same file, same server). */
  reopen: () => Promise<EventStore>;
  /** True when nobody else writes to the store, so global facts (empty log, exact head) can be asserted. */
  isolated: boolean;
  dispose: () => Promise<void>;
};

export type CreateStore = () => Promise<StoreUnderTest>;

/** A stream-name prefix no other test (or other run on a shared server) uses. */
export const uniquePrefix = (label: string): string => `test${uuidv7().replace(/-/g, '')}${label}-`;

export const newEvent = (type = 'SomethingHappened', data: Record<string, unknown> = {}): NewEvent => {
  const id = uuidv7();
  return {
    id,
    type,
    data: { ...data, at: id },
    metadata: { actor: { type: 'user', id: 'u-1' }, correlationId: id, causationId: id },
  };
};

export const newEvents = (count: number, type?: string): NewEvent[] =>
  Array.from({ length: count }, (_, index) => newEvent(type, { index }));

export const ids = (events: ReadonlyArray<{ id: string }>): string[] => events.map((event) => event.id);

export const revisions = (events: RecordedEvent[]): bigint[] => events.map((event) => event.revision);

export const expectStrictlyIncreasing = (positions: bigint[]): void => {
  positions.slice(1).forEach((position, index) => expect(position > positions[index]).toBe(true));
};

/** Resolves once `predicate` holds, checking after every macrotask; rejects after `timeoutMs`. */
export const waitFor = async (predicate: () => boolean, timeoutMs = 5000): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error('waitFor: condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
};

export type Deferred = { promise: Promise<void>; resolve: () => void };

export const deferred = (): Deferred => {
  let resolve: () => void = () => undefined;
  const promise = new Promise<void>((done) => {
    resolve = done;
  });
  return { promise, resolve };
};
