import { allProjections } from '../../src/projections/allProjections';
import type { Projection } from '../../src/projections/projection';
import type { ReadModelStore } from '../../src/readModels/readModelStore';
import { startTestApp, type TestApp } from '../helpers/testApp';
import { openReadModelsOf, publishPost, runCommctl, seedChannels, snapshotActive, spawnCommctl } from './cliHarness';

/** The real projection, with an operator pressing Ctrl-C after it applied `count` events. */
const interruptedAfter = (projection: Projection, count: number, controller: AbortController): Projection => {
  let applied = 0;
  return {
    ...projection,
    apply: async (event, writer) => {
      await projection.apply(event, writer);
      if (++applied === count) controller.abort();
    },
  };
};

describe('Given a server with a few hundred events in its log', () => {
  let server: TestApp;
  let readModels: ReadModelStore;
  let channelIds: number[];
  beforeAll(async () => {
    server = await startTestApp();
    channelIds = await seedChannels(server, 3, 60);
    readModels = await openReadModelsOf(server.config);
  });
  afterAll(async () => {
    await readModels.close();
    await server.stop();
  });

  it('When a rebuild is interrupted and run again, then the second run resumes from the checkpoint and the result equals the live read model', async () => {
    const live = await snapshotActive(readModels);
    const controller = new AbortController();
    const posts = allProjections.find((projection) => projection.name === 'posts')!;
    const interrupted = await runCommctl(['projections', 'rebuild', 'posts', '--batch-size', '10'], {
      dataDir: server.config.dataDir,
      signal: controller.signal,
      projections: allProjections.map((projection) =>
        projection === posts ? interruptedAfter(posts, 30, controller) : projection,
      ),
    });
    expect(interrupted.code).toBe(130);
    expect(interrupted.stderr).toContain('run the same command again to resume');
    const checkpoint = await readModels.readCheckpoint('posts', 2);
    const head = (await server.app.eventStore.headPosition())!;
    expect(checkpoint).toBeDefined();
    expect(checkpoint!).toBeLessThan(head);
    expect(await readModels.activeVersion('posts')).toBe(1);

    const resumed = await runCommctl(['projections', 'rebuild', 'posts', '--batch-size', '10'], {
      dataDir: server.config.dataDir,
    });
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toContain(`posts: v2 active (was v1; resumed after position ${checkpoint}`);
    const applied = Number(/(\d+) events applied/.exec(resumed.stdout)![1]);
    expect(applied).toBeLessThan(channelIds.length * 60);
    expect(await snapshotActive(readModels)).toEqual(live);
  });

  it('When rebuilding while writes keep arriving, then after the switch the result equals a fresh rebuild of the same log', async () => {
    let writing = true;
    let written = 0;
    // One writer per channel, so the log grows on several streams at once.
    const writer = Promise.all(
      channelIds.map(async (channelId) => {
        while (writing) {
          await publishPost(server, channelId, `live write ${written}`);
          written++;
        }
      }),
    );
    while (written < 3) await new Promise((resolve) => setTimeout(resolve, 5));
    // The real CLI in its own process, as an operator runs it beside the server; small
    // batches make many transactions, so the live writes interleave with them.
    const underLoad = await spawnCommctl(['projections', 'rebuild', '--batch-size', '1'], {
      dataDir: server.config.dataDir,
    });
    writing = false;
    await writer;
    expect(underLoad.stderr).toMatch(/rebuild [a-zA-Z, ]*posts[a-zA-Z, ]*: \d+ positions in/);
    expect(underLoad.code).toBe(0);
    // Writes landed while the rebuild ran: the last projection caught up past the head the first one started from.
    const reports = [...underLoad.stdout.matchAll(/head was (\d+) at start, caught up to (\d+)/g)];
    expect(reports).toHaveLength(allProjections.length);
    expect(BigInt(reports[reports.length - 1][2])).toBeGreaterThan(BigInt(reports[0][1]));

    // The server hands over to the new versions and applies what the rebuild did not see.
    await server.app.projections.syncActiveVersions();
    const head = (await server.app.eventStore.headPosition())!;
    const reached = await server.app.projections.waitForPosition(head, 10_000);
    expect({
      reached,
      statuses: server.app.projections.status().map((status) => [status.name, status.state, status.error]),
    }).toMatchObject({
      reached: true,
    });
    const versions = new Map(server.app.projections.status().map((status) => [status.name, status.version]));
    const afterLiveRebuild = await snapshotActive(readModels);

    const fresh = await runCommctl(['projections', 'rebuild'], { dataDir: server.config.dataDir });
    expect(fresh.code).toBe(0);
    for (const projection of allProjections) {
      expect(await readModels.activeVersion(projection.name)).toBe(versions.get(projection.name)! + 1);
    }
    expect(await snapshotActive(readModels)).toEqual(afterLiveRebuild);
  }, 60_000);
});
