import { ValidationError } from '../../errors';
import type { Decider } from '../commandHandler';
import type { SequenceName } from '../streams';
import { evolveSequence, initialSequenceState, type SequenceEvent, type SequenceState } from './sequenceEvents';

export type ReserveIdBlock = {
  type: 'ReserveIdBlock';
  data: {
    sequence: SequenceName;
    size: number;
    /** The block must start at or above this id (the caller saw ids up to `minimumId - 1` in use). */
    minimumId: number;
    now: string;
  };
};

/** How a stream's blocks grow: the first holds `firstSize` ids, each next one twice the last, up to `maxSize`. */
export type StreamBlockSizes = { firstSize: number; maxSize: number };

/** A block for `stream` holding an id at or above `minimumId` (its last id + 1): its current one if it still does. */
export type ReserveStreamIdBlock = {
  type: 'ReserveStreamIdBlock';
  data: { sequence: SequenceName; stream: string; minimumId: number; now: string } & StreamBlockSizes;
};

export type SequenceCommand = ReserveIdBlock | ReserveStreamIdBlock;

const isCount = (value: number) => Number.isSafeInteger(value) && value >= 1;

/**
 * A stream's next block doubles the last one: a stream that has used n ids holds at most
 * 2n (its blocks before the current one are used up), and a busy one reserves rarely.
 * Racing processes that both found the stream's block used up ask for the same thing: the
 * second sees the first one's block and gets it, so no block is reserved twice.
 */
const reserveForStream = (data: ReserveStreamIdBlock['data'], state: SequenceState): SequenceEvent[] => {
  const { sequence, stream, minimumId, firstSize, maxSize, now } = data;
  if (!isCount(firstSize) || !isCount(maxSize) || firstSize > maxSize)
    throw new ValidationError('Block sizes must be positive integers, the first at most the maximum');
  if (!isCount(minimumId)) throw new ValidationError('The minimum id must be a positive integer');
  const current = state.streamBlocks.get(stream);
  if (current && current.to >= minimumId) return [];
  const size = current ? Math.min(maxSize, 2 * (current.to - current.from + 1)) : firstSize;
  const from = Math.max(state.lastReservedId + 1, minimumId);
  return [{ type: 'StreamIdBlockReserved', data: { sequence, stream, from, to: from + size - 1, reservedAt: now } }];
};

export const decideSequence = (command: SequenceCommand, state: SequenceState): SequenceEvent[] => {
  switch (command.type) {
    case 'ReserveIdBlock': {
      const { sequence, size, minimumId, now } = command.data;
      if (!isCount(size)) throw new ValidationError('Block size must be a positive integer');
      const from = Math.max(state.lastReservedId + 1, minimumId);
      return [{ type: 'IdBlockReserved', data: { sequence, from, to: from + size - 1, reservedAt: now } }];
    }
    case 'ReserveStreamIdBlock':
      return reserveForStream(command.data, state);
    default: {
      const unexpected: never = command;
      return unexpected;
    }
  }
};

export const sequenceDecider: Decider<SequenceState, SequenceCommand, SequenceEvent> = {
  decide: decideSequence,
  evolve: evolveSequence,
  initialState: initialSequenceState,
};
