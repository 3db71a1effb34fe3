import type { SequenceName } from '../streams';

/**
 * A process reserved the ids `from`..`to` (inclusive) of a sequence. Blocks are
 * reserved with optimistic concurrency on the sequence stream, so they never overlap
 * and each new block lies above every earlier one.
 */
export type IdBlockReserved = {
  type: 'IdBlockReserved';
  data: { sequence: SequenceName; from: number; to: number; reservedAt: string };
};

export type SequenceEvent = IdBlockReserved;

export type SequenceState = {
  /** The highest id of any block reserved so far; 0 before the first reservation. */
  lastReservedId: number;
};

export const initialSequenceState = (): SequenceState => ({ lastReservedId: 0 });

export const evolveSequence = (state: SequenceState, event: SequenceEvent): SequenceState => {
  switch (event.type) {
    case 'IdBlockReserved':
      return { lastReservedId: Math.max(state.lastReservedId, event.data.to) };
    default: {
      const unexpected: never = event.type;
      return unexpected;
    }
  }
};
