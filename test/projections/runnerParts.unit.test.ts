import type { RecordedEvent } from '../../src/eventStore/eventStore';
import { createEventBatcher } from '../../src/projections/eventBatcher';
import { createPositionWaiters } from '../../src/projections/positionWaiters';
import { ProjectionError } from '../../src/projections/projection';
import { createRestartPolicy } from '../../src/projections/restartPolicy';
import { createSkippedPositions } from '../../src/projections/skippedPositions';
import { postPublished, record } from './projectionFixtures';

const events = (count: number): RecordedEvent[] =>
  record(Array.from({ length: count }, (_, index) => postPublished(3, index + 1)));
const nextTurn = () => new Promise((resolve) => setImmediate(resolve));
const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('The parts of a projection runner (the failure rules)', () => {
  describe('Given an event batcher', () => {
    const batcherCommitting = (fails: (batch: RecordedEvent[]) => boolean, live = () => true) => {
      const committed: bigint[][] = [];
      const failures: Error[] = [];
      const batcher = createEventBatcher({
        batchSize: 2,
        live,
        commit: async (batch) => {
          if (fails(batch)) throw new Error('SQLITE_BUSY');
          committed.push(batch.map((event) => event.position));
        },
        onIdleFlushed: () => undefined,
        onFailed: (error) => failures.push(error),
      });
      return { batcher, committed, failures };
    };

    it('When the subscription is still catching up, then a pause between pages commits nothing; full batches and the final flush do', async () => {
      const { batcher, committed } = batcherCommitting(
        () => false,
        () => false,
      );
      const [one, two, three] = events(3);
      void batcher.add(one);
      await batcher.add(two);
      void batcher.add(three);
      await nextTurn();
      await nextTurn();
      expect(committed).toEqual([[1n, 2n]]);
      await batcher.flush();
      expect(committed).toEqual([[1n, 2n], [3n]]);
    });

    it('When batches fill, then they commit in log order, one at a time, and an idle turn commits the rest', async () => {
      const { batcher, committed } = batcherCommitting(() => false);
      const [one, two, three] = events(3);
      expect(batcher.add(one)).toBeUndefined();
      await batcher.add(two);
      void batcher.add(three);
      await nextTurn();
      await batcher.idle();
      expect(committed).toEqual([[1n, 2n], [3n]]);
    });

    it('When a batch fails, then the attempt halts: the failure is reported once and no later batch commits past it', async () => {
      const { batcher, committed, failures } = batcherCommitting((batch) => batch[0].position === 1n);
      const [one, two, three, four, five] = events(5);
      void batcher.add(one);
      await expect(batcher.add(two)).rejects.toThrow('SQLITE_BUSY');
      expect(batcher.add(three)).toBeUndefined();
      void batcher.add(four);
      void batcher.add(five);
      await batcher.flush();
      await nextTurn();
      await batcher.idle();
      expect(committed).toEqual([]);
      expect(failures.map((error) => error.message)).toEqual(['SQLITE_BUSY']);
    });

    it('When a later batch waits behind one that fails, then it is not committed either', async () => {
      const { batcher, committed } = batcherCommitting((batch) => batch[0].position === 1n);
      const [one, two, three] = events(3);
      void batcher.add(one);
      const failing = batcher.add(two);
      void batcher.add(three);
      const behind = batcher.flush();
      await expect(failing).rejects.toThrow();
      await expect(behind).rejects.toThrow();
      expect(committed).toEqual([]);
    });
  });

  describe('Given skipped positions', () => {
    const skippedPositions = () => {
      const stored: bigint[] = [];
      const positions = createSkippedPositions({
        store: async (position) => void stored.push(position),
        idle: async () => undefined,
        delayMs: 10,
        onError: (error) => {
          throw error;
        },
      });
      positions.reset(3n);
      return { positions, stored };
    };

    it('When events for other projections pass, then the position moves in memory and is stored once, later', async () => {
      const { positions, stored } = skippedPositions();
      positions.skipped(5n);
      positions.storeSoon();
      positions.skipped(6n);
      positions.storeSoon();
      expect(positions.applied()).toBe(6n);
      expect(stored).toEqual([]);
      await wait(40);
      expect(stored).toEqual([6n]);
    });

    it('When the attempt halts, then it keeps its in-memory position but stores nothing until the next start', async () => {
      const { positions, stored } = skippedPositions();
      positions.skipped(5n);
      positions.storeSoon();
      positions.halt();
      await positions.storeNow();
      await wait(40);
      expect(positions.applied()).toBe(5n);
      expect(stored).toEqual([]);
      positions.reset(3n);
      expect(positions.applied()).toBe(3n);
    });
  });

  describe('Given the restart policy', () => {
    const policyCounting = () => {
      const seen = { halts: 0, restarts: 0, failed: [] as ProjectionError[], delays: [] as number[] };
      const policy = createRestartPolicy({
        halt: () => void (seen.halts += 1),
        restart: async () => void (seen.restarts += 1),
        onFailed: (error) => seen.failed.push(error),
        onRestartScheduled: (_error, delayMs) => seen.delays.push(delayMs),
        backoff: { firstMs: 10, maxMs: 40 },
      });
      policy.begin();
      return { policy, seen };
    };
    const unappliable = () => new ProjectionError('posts', events(1)[0], new Error('no posts document with key 42'));

    it('When a store fails, then the attempt halts at once and restarts after the backoff; more failures meanwhile wait for that restart', async () => {
      const { policy, seen } = policyCounting();
      policy.fail(new Error('SQLITE_BUSY'));
      policy.fail(new Error('SQLITE_BUSY'));
      expect(seen.halts).toBe(2);
      expect(seen.restarts).toBe(0);
      await wait(40);
      expect(seen.restarts).toBe(1);
      expect(seen.delays).toEqual([10]);
    });

    it('When the runner stops during the backoff, then the failed attempt ends: no restart happens', async () => {
      const { policy, seen } = policyCounting();
      policy.fail(new Error('SQLITE_BUSY'));
      policy.stop();
      policy.fail(new Error('SQLITE_BUSY'));
      await wait(40);
      expect(seen.restarts).toBe(0);
      expect(seen.halts).toBe(1);
    });

    it('When an event cannot be applied, then the projection stops for good: halted, failed, never restarted', async () => {
      const { policy, seen } = policyCounting();
      policy.fail(unappliable());
      policy.fail(new Error('SQLITE_BUSY'));
      await wait(40);
      expect(policy.failed()).toBe(true);
      expect(seen.failed).toHaveLength(1);
      expect(seen.halts).toBe(1);
      expect(seen.restarts).toBe(0);
    });
  });

  describe('Given position waiters', () => {
    it('When the runner passes a position, then its waiters resolve true; when it stops, the rest resolve false', async () => {
      const waiters = createPositionWaiters();
      const five = waiters.wait(5n, 1000, 3n);
      const nine = waiters.wait(9n, 1000, 3n);
      waiters.reached(6n);
      expect(await five).toBe(true);
      waiters.releaseAll();
      expect(await nine).toBe(false);
      expect(await waiters.wait(2n, 1000, 3n)).toBe(true);
      expect(await waiters.wait(4n, 10, 3n)).toBe(false);
    });
  });
});
