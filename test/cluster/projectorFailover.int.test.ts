import { loadConfig } from '../../src/config';
import { createEventStore } from '../../src/eventStore/createEventStore';
import { createLogger } from '../../src/logger';
import { rebuildProjection } from '../../src/ops/rebuildProjection';
import { allProjections } from '../../src/projections/allProjections';
import { collections } from '../../src/projections/documents';
import type { Projection } from '../../src/projections/projection';
import { createReadModelStore } from '../../src/readModels/createReadModelStore';
import type { ReadModelStore } from '../../src/readModels/readModelStore';
import { makeTempDir, signToken } from '../helpers/testApp';
import { json } from '../helpers/rawHttp';
import { startServerProcess, type ServerProcess } from '../helpers/serverProcess';

const admin = signToken('admin-1', 'admin');
/** Generous: the ≤ 5 s figure is the bench's (bench/failover.bench.ts), not a timing assertion here. */
const TAKEOVER_BOUND_MS = 15_000;
const LEASES = { LEASE_TTL_MS: '3000', LEASE_RENEW_MS: '1000', LEASE_POLL_MS: '500' };

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const until = async (what: string, check: () => Promise<boolean>, timeoutMs = 30_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await pause(100);
  }
};

const projectorLease = async (server: ServerProcess): Promise<string | undefined> =>
  (await json(server.url, 'GET', '/ready')).body?.leases?.projector as string | undefined;

const appliedPositions = async (server: ServerProcess): Promise<Array<string | null>> =>
  (
    (await json(server.url, 'GET', '/ops/projections', admin)).body.projections as Array<{ appliedPosition: string }>
  ).map((status) => status.appliedPosition);

/** Discussion messages and posts written through `api`, a few at a time, until stopped. */
const startWriteLoad = (api: ServerProcess, channelId: number) => {
  let running = true;
  let accepted = 0;
  const writer = async (index: number) => {
    for (let n = 0; running; n += 1) {
      const post = n % 5 === 0;
      const path = post
        ? `/api/admin/channels/${channelId}/posts`
        : `/api/admin/channels/${channelId}/discussion/messages`;
      const body = post ? { type: 'TEXT', bodyText: `post ${index}.${n}` } : { body: `message ${index}.${n}` };
      // A failed request only counts as not accepted (the test's own checks say what failed).
      const status = await json(api.url, 'POST', path, admin, body).then(
        (response) => response.status,
        () => 0,
      );
      if (status === 201) accepted += 1;
    }
  };
  const writers = Promise.all([0, 1, 2, 3].map(writer));
  return {
    accepted: () => accepted,
    stop: async () => {
      running = false;
      await writers;
      return accepted;
    },
  };
};

/** Every document of a projection's active version, in a stable order. */
const documentsOf = async (readModels: ReadModelStore, projection: Projection) =>
  Object.fromEntries(
    await Promise.all(
      projection.collections.map(async ({ name }) => [
        name,
        (await readModels.find(name, {})).map((doc) => JSON.stringify(doc)).sort(),
      ]),
    ),
  );

/** The read models against the log and against a fresh rebuild, once every process has stopped. */
const expectReadModelsEqualRebuild = async (dataDir: string, accepted: number) => {
  const config = loadConfig({ NODE_ENV: 'test', DATA_DIR: dataDir });
  const eventStore = createEventStore(config);
  const readModels = createReadModelStore(config);
  allProjections.forEach((projection) => readModels.register(projection));
  await readModels.start();
  try {
    // No event applied twice or skipped: one message document per message in the log, one post per post.
    const logged = await eventStore.readAll();
    const count = (type: string) => logged.filter((event) => event.type === type).length;
    expect((await readModels.find(collections.discussionMessages, {})).length).toBe(count('DiscussionMessagePosted'));
    expect((await readModels.find(collections.posts, {})).length).toBe(count('PostPublished'));
    expect(count('DiscussionMessagePosted') + count('PostPublished')).toBeGreaterThanOrEqual(accepted);

    for (const projection of allProjections) {
      const live = await documentsOf(readModels, projection);
      await rebuildProjection({ eventStore, readModels, projection, logger: createLogger('silent') });
      expect({ projection: projection.name, documents: await documentsOf(readModels, projection) }).toEqual({
        projection: projection.name,
        documents: live,
      });
    }
  } finally {
    await readModels.close();
    await eventStore.close();
  }
};

describe('Given an api node taking writes and two projector processes on one DATA_DIR', () => {
  const servers: ServerProcess[] = [];
  const loads: Array<ReturnType<typeof startWriteLoad>> = [];
  afterEach(async () => {
    await Promise.all(loads.splice(0).map((load) => load.stop()));
    for (const server of servers.splice(0)) if (server.child.exitCode === null) server.child.kill('SIGKILL');
  });

  /** The first projector holds the lease, the second stands by, the api node writes under load. */
  const givenClusterUnderLoad = async () => {
    const dataDir = makeTempDir('failover-');
    const start = async (roles: string) => {
      const server = await startServerProcess({ DATA_DIR: dataDir, ROLES: roles, ...LEASES });
      servers.push(server);
      return server;
    };
    const first = await start('projector');
    await until('the first projector to hold the lease', async () => (await projectorLease(first)) === 'active');
    const second = await start('projector');
    const api = await start('api');
    expect(await projectorLease(second)).toBe('standby');

    const channel = await json(api.url, 'POST', '/api/admin/channels', admin, {
      kind: 'BROADCAST',
      accessPolicy: 'OPEN',
      visibility: 'PUBLIC',
      title: 'Failover',
    });
    const channelId = channel.body.data.id as number;
    await json(api.url, 'PUT', `/api/admin/channels/${channelId}/discussion`, admin, { title: 'Talk' });
    const load = startWriteLoad(api, channelId);
    loads.push(load);
    await until('writes before the failure', async () => load.accepted() >= 100);
    return { dataDir, first, second, api, channelId, load };
  };

  /** Writes on after the takeover, then checks that the new holder applies a write made after it. */
  const thenTheNewHolderKeepsUp = async (cluster: Awaited<ReturnType<typeof givenClusterUnderLoad>>) => {
    const { api, second, channelId, load } = cluster;
    const acceptedAtTakeover = load.accepted();
    await until('writes after the takeover', async () => load.accepted() >= acceptedAtTakeover + 100);
    const accepted = await load.stop();
    const last = await json(api.url, 'POST', `/api/admin/channels/${channelId}/discussion/messages`, admin, {
      body: 'after',
    });
    expect(last.status).toBe(201);
    const lastPosition = BigInt(last.body.position as string);
    await until('every projection to pass the last write', async () =>
      (await appliedPositions(second)).every((position) => position !== null && BigInt(position) >= lastPosition),
    );
    return accepted + 1;
  };

  it('When the active projector is killed (SIGKILL) under write load, then the standby takes over, the projections keep advancing, and the read models equal a fresh rebuild', async () => {
    const cluster = await givenClusterUnderLoad();
    const { first, second, api } = cluster;

    const killedAt = Date.now();
    first.child.kill('SIGKILL');
    await until('the standby to take over', async () => (await projectorLease(second)) === 'active', TAKEOVER_BOUND_MS);
    const takeoverMs = Date.now() - killedAt;
    const accepted = await thenTheNewHolderKeepsUp(cluster);

    await Promise.all([api.signal('SIGTERM'), second.signal('SIGTERM')]);
    process.stdout.write(`projector takeover after kill -9: ${takeoverMs} ms (${accepted} writes accepted)\n`);
    await expectReadModelsEqualRebuild(cluster.dataDir, accepted);
  }, 120_000);

  it('When the active projector stalls (SIGSTOP) until the standby has taken over and then resumes, then the deposed one is refused (its renewal or its fenced batch), stands by, and the read models equal a fresh rebuild', async () => {
    const cluster = await givenClusterUnderLoad();
    const { first, second, api } = cluster;

    first.child.kill('SIGSTOP');
    await until('the standby to take over', async () => (await projectorLease(second)) === 'active', TAKEOVER_BOUND_MS);
    // The stalled one wakes with a batch of the writes it had read and a renewal due, on a lease it no longer holds.
    first.child.kill('SIGCONT');
    await until('the deposed projector to stand by', async () => (await projectorLease(first)) === 'standby');
    const refused = /"reason":"(renewal refused|a fenced write was refused)","msg":"lease lost: standing by"/;
    await until('the deposed projector to log why', async () => refused.test(first.output()));
    const accepted = await thenTheNewHolderKeepsUp(cluster);
    expect(await projectorLease(first)).toBe('standby');

    await Promise.all([api.signal('SIGTERM'), first.signal('SIGTERM'), second.signal('SIGTERM')]);
    await expectReadModelsEqualRebuild(cluster.dataDir, accepted);
  }, 120_000);
});
