import type { EventMetadata } from '../../eventStore/eventStore';
import type { CommandHandler } from '../commandHandler';
import { streams, type SequenceName } from '../streams';
import type { SequenceCommand } from './sequenceDecider';
import type { SequenceEvent, SequenceState } from './sequenceEvents';

export type IdAllocator = {
  /** The next id of `sequence`, strictly greater than `above` (default 0). */
  nextId: (sequence: SequenceName, above?: number) => Promise<number>;
};

export type BlockSizes = Record<SequenceName, number>;

export const DEFAULT_BLOCK_SIZES: BlockSizes = { channelId: 1, discussionId: 1, postId: 100, messageId: 100 };

type Block = { next: number; to: number };

/**
 * One per process. Hands out ids from a block reserved on `sequence-{name}`; blocks of
 * different processes never overlap (optimistic concurrency on the sequence stream) and each
 * new block lies above every earlier one, so asking for an id `above` a stream's last id
 * always succeeds, at worst by reserving a fresh block.
 */
export const createIdAllocator = (deps: {
  handler: CommandHandler<SequenceState, SequenceCommand, SequenceEvent>;
  now: () => Date;
  blockSizes?: Partial<BlockSizes>;
}): IdAllocator => {
  const sizes: BlockSizes = { ...DEFAULT_BLOCK_SIZES, ...deps.blockSizes };
  const blocks = new Map<SequenceName, Block>();
  const metadata = (): EventMetadata => {
    const id = `allocator-${process.pid}`;
    return { actor: { type: 'system', id }, correlationId: id, causationId: id };
  };

  const reserve = async (sequence: SequenceName, minimumId: number): Promise<Block> => {
    const result = await deps.handler.handle(
      streams.sequence(sequence),
      { type: 'ReserveIdBlock', data: { sequence, size: sizes[sequence], minimumId, now: deps.now().toISOString() } },
      metadata(),
    );
    const reserved = result.events[0].data;
    return { next: reserved.from, to: reserved.to };
  };

  // Synchronous check-and-take between awaits keeps concurrent callers from sharing an id.
  const take = (sequence: SequenceName, above: number): number | undefined => {
    const block = blocks.get(sequence);
    if (!block || block.to <= above || block.next > block.to) return undefined;
    const id = Math.max(block.next, above + 1);
    blocks.set(sequence, { next: id + 1, to: block.to });
    return id;
  };

  const nextId = async (sequence: SequenceName, above = 0): Promise<number> => {
    for (;;) {
      const taken = take(sequence, above);
      if (taken !== undefined) return taken;
      const block = await reserve(sequence, above + 1);
      const current = blocks.get(sequence);
      // Keep whichever block reaches higher; a concurrent caller may have reserved one too.
      if (!current || current.to < block.to) blocks.set(sequence, block);
    }
  };

  return { nextId };
};
