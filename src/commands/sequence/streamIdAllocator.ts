import { LRUCache } from 'lru-cache';
import type { EventMetadata } from '../../eventStore/eventStore';
import type { CommandHandler } from '../commandHandler';
import { streams, type SequenceName } from '../streams';
import type { SequenceCommand, StreamBlockSizes } from './sequenceDecider';
import type { IdBlock, SequenceEvent, SequenceState } from './sequenceEvents';

export type StreamSequence = Extract<SequenceName, 'postId' | 'messageId'>;

/** Small first blocks keep a quiet stream's ids dense (at most 2x); the cap bounds a busy one's gap. */
export const DEFAULT_STREAM_BLOCK_SIZES: StreamBlockSizes = { firstSize: 2, maxSize: 1024 };

/**
 * The next id of a channel or discussion stream: its last id + 1 inside the block the stream
 * draws from (StreamIdBlockReserved). Nothing here is per process: every process appending to
 * the stream computes the same id from the stream's state, and the stream's optimistic
 * concurrency lets one of them append it. A block cached here may be out of date; that is
 * safe, because a stream's newer block lies above its older ones, so its last id has left
 * an old block behind and the sequence stream is asked again.
 */
export const createStreamIdAllocator = (deps: {
  handler: CommandHandler<SequenceState, SequenceCommand, SequenceEvent>;
  now: () => Date;
  sizes?: Partial<StreamBlockSizes>;
}) => {
  const sizes: StreamBlockSizes = { ...DEFAULT_STREAM_BLOCK_SIZES, ...deps.sizes };
  const blocks = new LRUCache<string, IdBlock>({ max: 10_000 });
  const metadata = (): EventMetadata => {
    const id = `allocator-${process.pid}`;
    return { actor: { type: 'system', id }, correlationId: id, causationId: id };
  };
  const idIn = (block: IdBlock | undefined, lastId: number) => {
    if (!block) return undefined;
    const id = Math.max(lastId + 1, block.from);
    return id <= block.to ? id : undefined;
  };

  const reserve = async (sequence: StreamSequence, stream: string, minimumId: number): Promise<IdBlock> => {
    const result = await deps.handler.handle(
      streams.sequence(sequence),
      { type: 'ReserveStreamIdBlock', data: { sequence, stream, minimumId, ...sizes, now: deps.now().toISOString() } },
      metadata(),
    );
    const block = result.state.streamBlocks.get(stream);
    if (!block) throw new Error(`No id block for ${stream} after reserving one`);
    return block;
  };

  /** The id for the next post or message of `stream`, whose highest id so far is `lastId` (0: none). */
  const nextIdInStream = async (sequence: StreamSequence, stream: string, lastId: number): Promise<number> => {
    const key = `${sequence}:${stream}`;
    const cached = idIn(blocks.get(key), lastId);
    if (cached !== undefined) return cached;
    const block = await reserve(sequence, stream, lastId + 1);
    blocks.set(key, block);
    const id = idIn(block, lastId);
    if (id === undefined) throw new Error(`The id block of ${stream} has no id above ${lastId}`);
    return id;
  };

  return { nextIdInStream };
};
