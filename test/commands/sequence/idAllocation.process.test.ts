import fs from 'node:fs';
import { DEFAULT_STREAM_BLOCK_SIZES } from '../../../src/commands/sequence/streamIdAllocator';
import { measureIds, runWriters, setUpChannels, type IdOutcome } from '../../helpers/idWorkload';
import { makeTempDir } from '../../helpers/testApp';

/** Blocks of 2, 4, 8… (up to the maximum) until they hold `ids` ids: what a stream of that many ids reserves. */
const blocksFor = (ids: number) => {
  let blocks = 0;
  let held = 0;
  for (
    let size = DEFAULT_STREAM_BLOCK_SIZES.firstSize;
    held < ids;
    size = Math.min(2 * size, DEFAULT_STREAM_BLOCK_SIZES.maxSize)
  ) {
    held += size;
    blocks += 1;
  }
  return blocks;
};

const workload = { writers: 4, channels: 2, posts: 30, messages: 30, inFlight: 2 };

describe('Given four writer processes sharing one DATA_DIR and two channels with their discussions', () => {
  let dataDir: string;
  let outcome: IdOutcome;
  let failures: string[];

  beforeAll(async () => {
    dataDir = makeTempDir();
    const channelIds = await setUpChannels(dataDir, workload.channels);
    ({ failures } = await runWriters(dataDir, workload, channelIds));
    outcome = await measureIds(dataDir);
  }, 120_000);
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  describe('When they all publish posts and post messages at once', () => {
    it('then every write is accepted', () => {
      expect(failures).toEqual([]);
      expect(outcome.posts).toBe(workload.writers * workload.posts);
      expect(outcome.messages).toBe(workload.writers * workload.messages);
    });

    it('then ids are strictly increasing in each stream in append order', () => {
      expect(outcome.idsByStream.size).toBe(2 * workload.channels);
      for (const [stream, ids] of outcome.idsByStream) {
        const unordered = ids.filter((id, i) => i > 0 && id <= ids[i - 1]);
        expect({ stream, unordered }).toEqual({ stream, unordered: [] });
      }
    });

    it('then post ids are unique across channels and message ids across discussions', () => {
      const of = (prefix: string) =>
        [...outcome.idsByStream].filter(([stream]) => stream.startsWith(prefix)).flatMap(([, ids]) => ids);
      expect(new Set(of('channel-')).size).toBe(outcome.posts);
      expect(new Set(of('discussion-')).size).toBe(outcome.messages);
    });

    it('then each stream reserved only the blocks its own ids needed, however the writers interleaved', () => {
      for (const [stream, ids] of outcome.idsByStream) {
        expect({ stream, blocks: outcome.blocksByStream.get(stream) }).toEqual({
          stream,
          blocks: blocksFor(ids.length),
        });
      }
      // Besides those, one id per channel and per discussion created.
      const streamBlocks = [...outcome.blocksByStream.values()].reduce((sum, blocks) => sum + blocks, 0);
      expect(outcome.bookkeeping).toBe(streamBlocks + 2 * workload.channels);
    });

    it('then the largest id is at most twice the number of ids handed out', () => {
      expect(outcome.maxPostId).toBeLessThanOrEqual(2 * outcome.posts);
      expect(outcome.maxMessageId).toBeLessThanOrEqual(2 * outcome.messages);
    });
  });
});

describe('The block sizes', () => {
  it('keep a busy stream of 10,000 ids under 1% bookkeeping and a one-id stream at 2 ids', () => {
    expect(blocksFor(10_000) / 10_000).toBeLessThan(0.01);
    expect(blocksFor(1)).toBe(1);
    expect(DEFAULT_STREAM_BLOCK_SIZES.firstSize).toBeLessThanOrEqual(2);
  });
});
