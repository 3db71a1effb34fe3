import type { EventMetadata } from '../../eventStore/eventStore';
import type { CommandHandler } from '../commandHandler';
import { streams, type SequenceName } from '../streams';
import type { SequenceCommand, StreamBlockSizes } from './sequenceDecider';
import type { SequenceEvent, SequenceState } from './sequenceEvents';
import { createStreamIdAllocator } from './streamIdAllocator';

/** Sequences handed out from per-process blocks: ids of new streams (a new stream has no stream to draw from). */
export type ProcessSequence = Extract<SequenceName, 'channelId' | 'discussionId'>;

export type IdAllocator = {
  /** The next id of `sequence`, strictly greater than `above` (default 0). */
  nextId: (sequence: ProcessSequence, above?: number) => Promise<number>;
  /** Post and message ids: see streamIdAllocator.ts. */
  nextIdInStream: ReturnType<typeof createStreamIdAllocator>['nextIdInStream'];
};

export type BlockSizes = Record<ProcessSequence, number>;

export const DEFAULT_BLOCK_SIZES: BlockSizes = { channelId: 1, discussionId: 1 };

type Block = { next: number; to: number };

/**
 * One per process. Channel and discussion ids come from a block reserved on
 * `sequence-{name}`; blocks of different processes never overlap (optimistic concurrency on
 * the sequence stream) and each new block lies above every earlier one, so asking for an id
 * `above` a given one always succeeds, at worst by reserving a fresh block.
 */
export const createIdAllocator = (deps: {
  handler: CommandHandler<SequenceState, SequenceCommand, SequenceEvent>;
  now: () => Date;
  blockSizes?: Partial<BlockSizes>;
  streamBlockSizes?: Partial<StreamBlockSizes>;
}): IdAllocator => {
  const sizes: BlockSizes = { ...DEFAULT_BLOCK_SIZES, ...deps.blockSizes };
  const blocks = new Map<ProcessSequence, Block>();
  const metadata = (): EventMetadata => {
    const id = `allocator-${process.pid}`;
    return { actor: { type: 'system', id }, correlationId: id, causationId: id };
  };

  const reserve = async (sequence: ProcessSequence, minimumId: number): Promise<Block> => {
    const result = await deps.handler.handle(
      streams.sequence(sequence),
      { type: 'ReserveIdBlock', data: { sequence, size: sizes[sequence], minimumId, now: deps.now().toISOString() } },
      metadata(),
    );
    const reserved = result.events[0].data;
    return { next: reserved.from, to: reserved.to };
  };

  // Synchronous check-and-take between awaits keeps concurrent callers from sharing an id.
  const take = (sequence: ProcessSequence, above: number): number | undefined => {
    const block = blocks.get(sequence);
    if (!block || block.to <= above || block.next > block.to) return undefined;
    const id = Math.max(block.next, above + 1);
    blocks.set(sequence, { next: id + 1, to: block.to });
    return id;
  };

  const nextId = async (sequence: ProcessSequence, above = 0): Promise<number> => {
    for (;;) {
      const taken = take(sequence, above);
      if (taken !== undefined) return taken;
      const block = await reserve(sequence, above + 1);
      const current = blocks.get(sequence);
      // Keep whichever block reaches higher; a concurrent caller may have reserved one too.
      if (!current || current.to < block.to) blocks.set(sequence, block);
    }
  };

  const { nextIdInStream } = createStreamIdAllocator({ ...deps, sizes: deps.streamBlockSizes });
  return { nextId, nextIdInStream };
};
