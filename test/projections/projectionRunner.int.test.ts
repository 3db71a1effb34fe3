import path from 'node:path';
import type { EventStore } from '../../src/eventStore/eventStore';
import { createSqliteEventStore } from '../../src/eventStore/sqlite';
import { createLogger } from '../../src/logger';
import { collections, type PostDoc } from '../../src/projections/documents';
import { postsProjection } from '../../src/projections/postsProjection';
import type { Projection } from '../../src/projections/projection';
import { createProjectionRunner } from '../../src/projections/projectionRunner';
import type { ReadModelStore } from '../../src/readModels/readModelStore';
import { makeTempDir } from '../helpers/testApp';
import { ADMIN, at, channelCreated, openReadModels, postPublished, streamOf, toNewEvent } from './projectionFixtures';

const logger = createLogger('silent');

/**
 * Counts applied events in a document, a deliberately non-idempotent update: only the
 * checkpoint stored with each batch keeps it exact, so any lost or repeated event shows.
 */
const countingProjection = (name: string, hook: (count: number) => void = () => undefined): Projection => ({
  name,
  collections: [{ name: `${name}Counts`, indexes: [] }],
  eventTypes: ['PostPublished', 'PostEdited'],
  apply: async (event, writer) => {
    const current = await writer.get<{ count: number; ids: string[] }>(`${name}Counts`, 'all');
    const count = (current?.count ?? 0) + 1;
    hook(count);
    await writer.put(`${name}Counts`, 'all', { count, last: event.id });
  },
});

/** The real read-model store whose next `failures` puts fail as a busy database would. */
const flakyStore = (readModels: ReadModelStore, failures: number) => {
  let failuresLeft = failures;
  const store: ReadModelStore = {
    ...readModels,
    applyBatch: (projection, version, position, write) =>
      readModels.applyBatch(projection, version, position, async (writer) => {
        await write({
          ...writer,
          put: async (...args) => {
            if (failuresLeft > 0) {
              failuresLeft -= 1;
              throw new Error('SQLITE_BUSY: database is locked');
            }
            return writer.put(...args);
          },
        });
      }),
  };
  return { store, failNext: (count: number) => (failuresLeft = count), failuresLeft: () => failuresLeft };
};

const append = async (eventStore: EventStore, events: Array<{ type: string; data: unknown }>) => {
  for (const event of events) await eventStore.appendToStream(streamOf(event), [toNewEvent(event)]);
};

const posts = (count: number, firstId = 1) =>
  Array.from({ length: count }, (_, index) => postPublished(3 + (index % 3), firstId + index));

describe('Given a projection runner over a SQLite event log and a SQLite read-model file', () => {
  let dir: string;
  let eventStore: EventStore;
  let readModels: ReadModelStore;
  const counting = countingProjection('counting');
  const openStores = async (projections: Projection[]) => {
    readModels = await openReadModels(projections, path.join(dir, 'readmodels.sqlite'));
  };
  const count = async (projection = 'counting') =>
    (await readModels.get<{ count: number }>(`${projection}Counts`, 'all'))?.count ?? 0;
  const runner = (projection: Projection, batchSize = 10) =>
    createProjectionRunner({ eventStore, readModels, projection, version: 1, logger, batchSize });

  beforeEach(async () => {
    dir = makeTempDir('projections-');
    eventStore = createSqliteEventStore({ path: path.join(dir, 'events.sqlite'), pollIntervalMs: 20 });
  });
  afterEach(async () => {
    await readModels.close();
    await eventStore.close();
  });

  it('When the runner is stopped mid-stream and a new one restarts on the same files, then every event is applied exactly once', async () => {
    await append(eventStore, posts(300));
    await openStores([counting]);
    let applied = 0;
    let stopped: Promise<void> | undefined;
    // Stop as soon as some (not all) batches are committed, from inside the runner's own flow.
    const first = createProjectionRunner({
      eventStore,
      readModels,
      projection: counting,
      version: 1,
      logger,
      batchSize: 10,
      onApplied: (n) => {
        applied += n;
        if (applied >= 50 && !stopped) stopped = first.stop();
      },
    });
    await first.start();
    await waitUntil(() => stopped !== undefined);
    await stopped;
    const stoppedAt = await count();
    expect(stoppedAt).toBeGreaterThanOrEqual(50);
    expect(stoppedAt).toBeLessThan(300);
    expect(await readModels.readCheckpoint('counting', 1)).toBe(BigInt(stoppedAt));

    await readModels.close();
    await openStores([counting]);
    const second = runner(counting);
    await second.start();
    await second.caughtUp();
    await append(eventStore, posts(20, 301));
    expect(await second.waitForPosition(320n, 5000)).toBe(true);
    expect(await count()).toBe(320);
    await second.stop();
  });

  it('When a batch fails half way (a crash inside the transaction), then nothing of it is kept and a restart applies it exactly once', async () => {
    await append(eventStore, posts(95));
    await openStores([counting]);
    const crashing = countingProjection('counting', (n) => {
      if (n === 47) throw new Error('simulated crash');
    });
    const first = runner(crashing);
    await first.start();
    await waitUntil(() => first.status().state === 'failed');
    expect(await count()).toBe(40);
    expect(await readModels.readCheckpoint('counting', 1)).toBe(40n);
    await first.stop();

    const second = runner(counting);
    await second.start();
    await second.caughtUp();
    expect(await count()).toBe(95);
    expect(await readModels.readCheckpoint('counting', 1)).toBe(95n);
    await second.stop();
  });

  it('When the read-model store bounds the events of a transaction (MongoDB), then no batch carries more, whatever the batch size', async () => {
    await append(eventStore, posts(100));
    await openStores([counting]);
    const eventsPerBatch: number[] = [];
    const bounded: ReadModelStore = {
      ...readModels,
      maxBatchEvents: 7,
      applyBatch: (projection, version, position, write) =>
        readModels.applyBatch(projection, version, position, async (writer) => {
          let events = 0;
          // The counting projection puts once per event.
          await write({ ...writer, put: (...args) => ((events += 1), writer.put(...args)) });
          eventsPerBatch.push(events);
        }),
    };
    const run = createProjectionRunner({
      eventStore,
      readModels: bounded,
      projection: counting,
      version: 1,
      logger,
      batchSize: 50,
    });
    await run.start();
    await run.caughtUp();
    await run.stop();
    expect(await count()).toBe(100);
    expect(Math.max(...eventsPerBatch)).toBe(7);
  });

  it('When the read-model store fails for a while (busy, unreachable), then the runner retries from its checkpoint and ends with every event applied exactly once', async () => {
    await append(eventStore, posts(95));
    await openStores([counting]);
    const flaky = flakyStore(readModels, 3);
    const retrying = createProjectionRunner({
      eventStore,
      readModels: flaky.store,
      projection: counting,
      version: 1,
      logger,
      batchSize: 10,
    });
    await retrying.start();
    expect(await retrying.waitForPosition(95n, 10_000)).toBe(true);
    expect(flaky.failuresLeft()).toBe(0);
    expect(retrying.status().state).not.toBe('failed');
    expect(await count()).toBe(95);
    await retrying.stop();
  });

  describe('when a live batch fails on the store (busy, unreachable)', () => {
    let flaky: ReturnType<typeof flakyStore>;
    const liveFlakyRunner = async () => {
      await append(eventStore, posts(2));
      await openStores([counting]);
      flaky = flakyStore(readModels, 0);
      const live = createProjectionRunner({
        eventStore,
        readModels: flaky.store,
        projection: counting,
        version: 1,
        logger,
        batchSize: 10,
      });
      await live.start();
      await live.caughtUp();
      return live;
    };

    it('Then a later event cannot carry the checkpoint past the failed one: after the retry both are applied exactly once', async () => {
      const live = await liveFlakyRunner();
      flaky.failNext(1);
      await append(eventStore, posts(1, 3));
      await new Promise((resolve) => setTimeout(resolve, 20));
      await append(eventStore, posts(1, 4));
      expect(await live.waitForPosition(4n, 10_000)).toBe(true);
      expect(flaky.failuresLeft()).toBe(0);
      expect(await count()).toBe(4);
      expect(await readModels.readCheckpoint('counting', 1)).toBe(4n);
      await live.stop();
    });

    it('Then stopping during the backoff stops the failed attempt too: nothing is applied or stored afterwards', async () => {
      const live = await liveFlakyRunner();
      flaky.failNext(1);
      await append(eventStore, posts(1, 3));
      await waitUntil(() => live.status().error !== undefined);
      await live.stop();
      await append(eventStore, posts(1, 4));
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(await count()).toBe(2);
      expect(await readModels.readCheckpoint('counting', 1)).toBe(2n);
    });
  });

  it('When live events concern only other projections, then the position moves at once in memory and is stored within a second, without a transaction per event', async () => {
    await append(eventStore, posts(3));
    await openStores([counting]);
    const live = runner(counting);
    await live.start();
    await live.caughtUp();
    expect(await readModels.readCheckpoint('counting', 1)).toBe(3n);

    await append(eventStore, [channelCreated(7), channelCreated(8)]);
    expect(await live.waitForPosition(5n, 2000)).toBe(true);
    expect(await readModels.readCheckpoint('counting', 1)).toBe(3n);
    await waitUntilAsync(async () => (await readModels.readCheckpoint('counting', 1)) === 5n, 2000);

    await append(eventStore, [channelCreated(9)]);
    expect(await live.waitForPosition(6n, 2000)).toBe(true);
    await live.stop();
    expect(await readModels.readCheckpoint('counting', 1)).toBe(6n);
    expect(await count()).toBe(3);
  });

  it('When the log holds an event the projection cannot apply, then it stops with an error naming the event and position and applies nothing after it', async () => {
    await append(eventStore, [
      postPublished(3, 1),
      {
        type: 'PostEdited',
        data: { postId: 42, channelId: 3, changes: { bodyText: 'x' }, editedByAdminId: ADMIN, editedAt: at(1) },
      },
      postPublished(3, 2),
    ]);
    const [, bad] = await eventStore.readAll();
    await openStores([postsProjection]);
    const posts = runner(postsProjection, 1);
    await posts.start();
    await waitUntil(() => posts.status().state === 'failed');
    const { error } = posts.status();
    expect(error).toContain(`Projection posts cannot apply PostEdited ${bad.id}`);
    expect(error).toContain('position 2');
    expect(error).toContain('no posts document with key 42');
    expect(await readModels.readCheckpoint('posts', 1)).toBe(1n);
    expect(await readModels.get<PostDoc>(collections.posts, '2')).toBeUndefined();
    expect(await posts.waitForPosition(3n, 50)).toBe(false);
    await posts.stop();
    expect(posts.status().state).toBe('failed');
  });
});

const waitUntil = (predicate: () => boolean, timeoutMs = 5000) => waitUntilAsync(async () => predicate(), timeoutMs);

const waitUntilAsync = async (predicate: () => Promise<boolean>, timeoutMs = 5000) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
};
