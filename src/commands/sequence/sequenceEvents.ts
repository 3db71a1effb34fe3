import { Map as ImmutableMap } from 'immutable';
import type { SequenceName } from '../streams';

/**
 * A process reserved the ids `from`..`to` (inclusive) of a sequence for itself. Written by
 * releases before stream blocks, and still for channel and discussion ids. Blocks are
 * reserved with optimistic concurrency on the sequence stream, so they never overlap and
 * each new block lies above every earlier one.
 */
export type IdBlockReserved = {
  type: 'IdBlockReserved';
  data: { sequence: SequenceName; from: number; to: number; reservedAt: string };
};

/**
 * The ids `from`..`to` (inclusive) of a sequence belong to one channel or discussion stream:
 * whichever process appends to that stream takes the id after the stream's last one inside it,
 * under the stream's own optimistic concurrency. Same ordering guarantees as IdBlockReserved.
 */
export type StreamIdBlockReserved = {
  type: 'StreamIdBlockReserved';
  data: { sequence: SequenceName; stream: string; from: number; to: number; reservedAt: string };
};

export type SequenceEvent = IdBlockReserved | StreamIdBlockReserved;

export type IdBlock = { from: number; to: number };

export type SequenceState = {
  /** The highest id of any block reserved so far; 0 before the first reservation. */
  lastReservedId: number;
  /** Each stream's latest block (persistent map: one reservation does not copy the others). */
  streamBlocks: ImmutableMap<string, IdBlock>;
};

export const initialSequenceState = (): SequenceState => ({ lastReservedId: 0, streamBlocks: ImmutableMap() });

export const evolveSequence = (state: SequenceState, event: SequenceEvent): SequenceState => {
  const lastReservedId = Math.max(state.lastReservedId, event.data.to);
  switch (event.type) {
    case 'IdBlockReserved':
      return { ...state, lastReservedId };
    case 'StreamIdBlockReserved': {
      const { stream, from, to } = event.data;
      return { lastReservedId, streamBlocks: state.streamBlocks.set(stream, { from, to }) };
    }
    default: {
      const unexpected: never = event;
      return unexpected;
    }
  }
};
