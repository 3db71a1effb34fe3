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

export type SequenceCommand = ReserveIdBlock;

export const decideSequence = (command: SequenceCommand, state: SequenceState): SequenceEvent[] => {
  switch (command.type) {
    case 'ReserveIdBlock': {
      const { sequence, size, minimumId, now } = command.data;
      if (!Number.isSafeInteger(size) || size < 1) throw new ValidationError('Block size must be a positive integer');
      const from = Math.max(state.lastReservedId + 1, minimumId);
      return [{ type: 'IdBlockReserved', data: { sequence, from, to: from + size - 1, reservedAt: now } }];
    }
    default: {
      const unexpected: never = command.type;
      return unexpected;
    }
  }
};

export const sequenceDecider: Decider<SequenceState, SequenceCommand, SequenceEvent> = {
  decide: decideSequence,
  evolve: evolveSequence,
  initialState: initialSequenceState,
};
