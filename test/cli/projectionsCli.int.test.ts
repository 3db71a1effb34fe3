import { v7 as uuidv7 } from 'uuid';
import { allProjections } from '../../src/projections/allProjections';
import type { ReadModelStore } from '../../src/readModels/readModelStore';
import { startTestApp, type TestApp } from '../helpers/testApp';
import { createChannel, openReadModelsOf, publishPost, runCommctl, seedChannels, snapshotActive } from './cliHarness';

type StatusJson = {
  projections: Array<{
    name: string;
    activeVersion: number;
    checkpoint: string | null;
    head: string | null;
    lagEvents: number;
    lagSeconds: number;
    state: string;
    detail: string | null;
    rebuild: { version: number; checkpoint: string | null } | null;
  }>;
};

const statusOf = async (server: TestApp, serverUrl = server.url): Promise<StatusJson> => {
  const run = await runCommctl(['projections', 'status', '--json', '--server', serverUrl], {
    dataDir: server.config.dataDir,
  });
  expect(run.code).toBe(0);
  return JSON.parse(run.stdout);
};

describe('Given a running server whose projections are caught up', () => {
  let server: TestApp;
  let readModels: ReadModelStore;
  beforeAll(async () => {
    server = await startTestApp();
    await seedChannels(server, 2, 5);
    readModels = await openReadModelsOf(server.config);
  });
  afterAll(async () => {
    await readModels.close();
    await server.stop();
  });

  it('When asking for status, then every projection is running on v1 with its checkpoint at the head and no lag', async () => {
    const head = (await server.app.eventStore.headPosition())!.toString();
    const status = await statusOf(server);
    expect(status.projections.map((projection) => projection.name).sort()).toEqual(
      allProjections.map((p) => p.name).sort(),
    );
    for (const projection of status.projections) {
      expect(projection).toMatchObject({
        activeVersion: 1,
        checkpoint: head,
        head,
        lagEvents: 0,
        lagSeconds: 0,
        state: 'running',
        rebuild: null,
      });
    }
  });

  it('When asking for the status as a table, then it prints one row per projection', async () => {
    const run = await runCommctl(['projections', 'status', '--server', server.url], { dataDir: server.config.dataDir });
    expect(run.stdout.split('\n')[0]).toMatch(
      /^PROJECTION\s+VERSION\s+CHECKPOINT\s+HEAD\s+LAG_EVENTS\s+LAG_SECONDS\s+STATE/,
    );
    expect(run.stdout.trim().split('\n')).toHaveLength(allProjections.length + 1);
  });

  it('When the server cannot be reached, then the state is unknown and says why, while checkpoints still show', async () => {
    const status = await statusOf(server, 'http://127.0.0.1:1');
    expect(status.projections[0].state).toBe('unknown');
    expect(status.projections[0].detail).toContain('unreachable');
    expect(status.projections[0].checkpoint).not.toBeNull();
  });

  it('When rebuilding every projection, then v2 becomes active with the same documents as v1 and v1 is kept until drop-old', async () => {
    const before = await snapshotActive(readModels);
    const run = await runCommctl(['projections', 'rebuild'], { dataDir: server.config.dataDir });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('v2 active (was v1; from position 0');
    expect(run.stderr).toMatch(/rebuild [\w, ]+: \d+ positions in/);
    expect(await snapshotActive(readModels)).toEqual(before);
    for (const projection of allProjections) {
      expect((await readModels.listVersions(projection.name)).map((entry) => [entry.version, entry.active])).toEqual([
        [1, false],
        [2, true],
      ]);
    }
    const dropped = await runCommctl(['projections', 'drop-old', 'channels'], { dataDir: server.config.dataDir });
    expect(dropped.stdout).toBe('channels: dropped v1\n');
    expect((await readModels.listVersions('channels')).map((entry) => entry.version)).toEqual([2]);
  });

  it('When the server checks its active versions after a rebuild, then it maintains the new version: a later post is readable', async () => {
    await server.app.projections.syncActiveVersions();
    expect(server.app.projections.status().every((status) => status.version === 2)).toBe(true);
    const channelId = await createChannel(server, 'After the switch');
    await publishPost(server, channelId, 'written to v2');
    const posts = await server.request('GET', `/api/mobile/channels/${channelId}/posts`);
    expect(posts.status).toBe(200);
    expect(JSON.stringify(posts.body)).toContain('written to v2');
    const status = await statusOf(server);
    expect(status.projections.every((projection) => projection.activeVersion === 2 && projection.lagEvents === 0)).toBe(
      true,
    );
  });

  it('When naming an unknown projection, then it exits 1 and lists the known ones', async () => {
    const run = await runCommctl(['projections', 'rebuild', 'nope'], { dataDir: server.config.dataDir });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('Unknown projection(s): nope');
  });
});

describe('Given a projection that cannot apply an event in the log', () => {
  let server: TestApp;
  beforeAll(async () => {
    server = await startTestApp();
    const channelId = await createChannel(server, 'Broken');
    // An edit of a post that was never published: the posts projection must stop, not skip it.
    const id = uuidv7();
    await server.app.eventStore.appendToStream(`channel-${channelId}`, [
      {
        id,
        type: 'PostEdited',
        data: {
          postId: 999999,
          channelId,
          changes: { bodyText: 'x' },
          editedByAdminId: 'a',
          editedAt: new Date().toISOString(),
        },
        metadata: { actor: { type: 'admin', id: 'a' }, correlationId: id, causationId: id },
      },
    ]);
    const deadline = Date.now() + 5000;
    while (!server.app.projections.status().some((status) => status.state === 'failed') && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  });
  afterAll(() => server.stop());

  it('When asking for status, then that projection is failed with the error naming the event', async () => {
    const status = await statusOf(server);
    const failed = status.projections.filter((projection) => projection.state === 'failed');
    expect(failed.length).toBeGreaterThan(0);
    expect(failed[0].detail).toContain('PostEdited');
    expect(failed[0].lagEvents).toBeGreaterThan(0);
  });

  it('When rebuilding it, then the rebuild stops with the error and the old version stays active', async () => {
    const status = await statusOf(server);
    const name = status.projections.find((projection) => projection.state === 'failed')!.name;
    const run = await runCommctl(['projections', 'rebuild', name], { dataDir: server.config.dataDir });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`Rebuild of ${name} v2 stopped`);
    expect((await statusOf(server)).projections.find((projection) => projection.name === name)).toMatchObject({
      activeVersion: 1,
      state: 'failed',
      rebuild: { version: 2 },
    });
  });
});
