import { spawn } from 'node:child_process';
import path from 'node:path';
import { Writable } from 'node:stream';
import { v7 as uuidv7 } from 'uuid';
import { runCli } from '../../src/cli/program';
import type { CliIo } from '../../src/cli/cliIo';
import type { Projection } from '../../src/projections/projection';
import { allProjections } from '../../src/projections/allProjections';
import { createReadModelStore } from '../../src/readModels/createReadModelStore';
import type { ReadModelStore } from '../../src/readModels/readModelStore';
import type { Config } from '../../src/config';
import { signToken, TEST_OPS_TOKEN, type TestApp } from '../helpers/testApp';

export type CliRun = { code: number; stdout: string; stderr: string };

const collector = () => {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, callback) {
      chunks.push(chunk.toString());
      callback();
    },
  });
  return { stream, text: () => chunks.join('') };
};

/** Runs commctl in-process against the stores in `dataDir`, capturing stdout and stderr. */
export const runCommctl = async (
  args: string[],
  options: { dataDir: string; env?: Record<string, string>; signal?: AbortSignal; projections?: Projection[] },
): Promise<CliRun> => {
  const stdout = collector();
  const stderr = collector();
  const io: CliIo = {
    stdout: stdout.stream,
    stderr: stderr.stream,
    env: {
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      DATA_DIR: options.dataDir,
      OPS_TOKEN: TEST_OPS_TOKEN,
      ...options.env,
    },
    signal: options.signal,
    projections: options.projections,
  };
  const code = await runCli(args, io);
  return { code, stdout: stdout.text(), stderr: stderr.text() };
};

export const adminToken = signToken('019ce156-1647-75b9-a5ba-07758a4f7675', 'admin');

/** Creates a channel through the admin API; returns its id. */
export const createChannel = async (server: TestApp, title = 'Signals'): Promise<number> => {
  const response = await server.request('POST', '/api/admin/channels', {
    token: adminToken,
    body: { kind: 'BROADCAST', accessPolicy: 'OPEN', visibility: 'PUBLIC', title },
  });
  if (response.status !== 201) throw new Error(`create channel: ${response.status} ${JSON.stringify(response.body)}`);
  return Number(response.body.data.id);
};

/** Publishes a text post through the admin API; returns its id and the write's log position. */
export const publishPost = async (server: TestApp, channelId: number, bodyText: string) => {
  const response = await server.request('POST', `/api/admin/channels/${channelId}/posts`, {
    token: adminToken,
    body: { type: 'TEXT', bodyText },
  });
  if (response.status !== 201) throw new Error(`publish: ${response.status} ${JSON.stringify(response.body)}`);
  return { postId: Number(response.body.data.id), position: BigInt(response.body.position as string) };
};

export const adminRequest = (server: TestApp, method: string, path: string, body?: unknown) =>
  server.request(method, path, { token: adminToken, body });

/** Fills the log through the command API: `channels` channels with `posts` posts each. */
export const seedChannels = async (server: TestApp, channels: number, posts: number): Promise<number[]> => {
  const ids: number[] = [];
  for (let c = 0; c < channels; c++) {
    const channelId = await createChannel(server, `Channel ${c}`);
    ids.push(channelId);
    for (let p = 0; p < posts; p++) await publishPost(server, channelId, `post ${p} of channel ${c}`);
  }
  return ids;
};

/**
 * Attaches a discussion to a channel by appending the write side's events (the
 * discussion routes are not wired yet): DiscussionCreated, then DiscussionAttached.
 */
export const attachDiscussion = async (
  server: TestApp,
  channelId: number,
  discussionId: number,
  settings: { title: string; slowModeEnabled?: boolean },
) => {
  const metadata = () => {
    const id = uuidv7();
    return { actor: { type: 'admin' as const, id: 'admin-1' }, correlationId: id, causationId: id };
  };
  const now = new Date().toISOString();
  await server.app.eventStore.appendToStream(`discussion-${discussionId}`, [
    {
      id: uuidv7(),
      type: 'DiscussionCreated',
      data: {
        discussionId,
        channelId,
        title: settings.title,
        isEnabled: true,
        requiredFeatureKey: null,
        slowModeEnabled: settings.slowModeEnabled ?? false,
        slowModeIntervalSeconds: settings.slowModeEnabled ? 30 : null,
        createdByAdminId: 'admin-1',
        createdAt: now,
      },
      metadata: metadata(),
    },
  ]);
  return server.app.eventStore.appendToStream(`channel-${channelId}`, [
    {
      id: uuidv7(),
      type: 'DiscussionAttached',
      data: { channelId, discussionId, attachedAt: now },
      metadata: metadata(),
    },
  ]);
};

/** A separate read-model connection, as another process (the CLI) would open. */
export const openReadModelsOf = async (
  config: Config,
  projections: Projection[] = allProjections,
): Promise<ReadModelStore> => {
  const store = createReadModelStore(config);
  projections.forEach((projection) => store.register({ name: projection.name, collections: projection.collections }));
  await store.start();
  return store;
};

/** Every document of every projection's active version, sorted, for comparing two builds. */
export const snapshotActive = async (store: ReadModelStore, projections: Projection[] = allProjections) => {
  const snapshot: Record<string, string[]> = {};
  for (const projection of projections) {
    await store.activeVersion(projection.name);
    for (const collection of projection.collections) {
      const docs = await store.find(collection.name, {});
      snapshot[collection.name] = docs.map((doc) => JSON.stringify(doc)).sort();
    }
  }
  return snapshot;
};

/** Runs the real commctl in its own process (tsx on src/cli/main.ts), as an operator would. */
export const spawnCommctl = (
  args: string[],
  options: { dataDir: string; env?: Record<string, string> },
): Promise<CliRun> =>
  new Promise((resolve, reject) => {
    const root = path.resolve(__dirname, '../..');
    const child = spawn(path.join(root, 'node_modules/.bin/tsx'), [path.join(root, 'src/cli/main.ts'), ...args], {
      cwd: root,
      env: { ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'silent', DATA_DIR: options.dataDir, ...options.env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
