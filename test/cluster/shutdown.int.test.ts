import { startPrivateRedis, type PrivateRedis } from '../helpers/redis';
import { makeTempDir, signToken } from '../helpers/testApp';
import { json, rawRequest, type RawOutcome } from '../helpers/rawHttp';
import { startServerProcess, type ServerProcess } from '../helpers/serverProcess';

const admin = signToken('admin-1', 'admin');
const WRITES = 200;

/** A channel with a discussion, written through the server's own API. */
const givenDiscussion = async (server: ServerProcess): Promise<number> => {
  const channel = await json(server.url, 'POST', '/api/admin/channels', admin, {
    kind: 'BROADCAST',
    accessPolicy: 'OPEN',
    visibility: 'PUBLIC',
    title: 'Deploys',
  });
  const channelId = channel.body.data.id as number;
  await json(server.url, 'PUT', `/api/admin/channels/${channelId}/discussion`, admin, { title: 'Talk' });
  return channelId;
};

/** Fires `WRITES` concurrent message posts, each on its own connection; SIGTERM once all are sent. */
const writeWhileTerminating = async (server: ServerProcess, channelId: number) => {
  let sent = 0;
  let signalled: Promise<{ code: number | null; ms: number }> | undefined;
  const onSent = () => {
    sent += 1;
    if (sent === WRITES) signalled = server.signal('SIGTERM');
  };
  const writes = Array.from({ length: WRITES }, (_, index) =>
    rawRequest(
      server.url,
      'POST',
      `/api/admin/channels/${channelId}/discussion/messages`,
      admin,
      { body: `message ${index}` },
      onSent,
    ),
  );
  const outcomes: RawOutcome[] = await Promise.all(writes);
  return { outcomes, exit: await (signalled as Promise<{ code: number | null; ms: number }>) };
};

describe('Given a server process taking writes when SIGTERM arrives', () => {
  let redis: PrivateRedis | undefined;
  const servers: ServerProcess[] = [];
  afterEach(async () => {
    // A server that did not exit (the failure under test) must not outlive the test.
    for (const server of servers.splice(0)) if (server.child.exitCode === null) server.child.kill('SIGKILL');
    await redis?.stop();
    redis = undefined;
  });

  it('When 200 writes are in flight, then every accepted one gets its full response, none is reset, and it exits 0 within 15 s', async () => {
    const server = await startServerProcess({ DATA_DIR: makeTempDir('shutdown-') });
    servers.push(server);
    const channelId = await givenDiscussion(server);

    const { outcomes, exit } = await writeWhileTerminating(server, channelId);

    const answered = outcomes.filter((outcome) => 'status' in outcome);
    // Every request was sent before the signal: each one is answered.
    expect(answered).toHaveLength(WRITES);
    const failures = outcomes.flatMap((outcome) => ('error' in outcome ? [outcome.error] : []));
    // Refused = never accepted (the listener was closed); anything else would be a cut request.
    expect(failures.filter((error) => error !== 'ECONNREFUSED')).toEqual([]);
    for (const outcome of answered as Array<{ status: number; body: string }>) {
      expect(outcome.status).toBe(201);
      expect(JSON.parse(outcome.body).data.body).toMatch(/^message \d+$/);
    }
    expect(exit.code).toBe(0);
    expect(exit.ms).toBeLessThan(15_000);
  }, 40_000);

  it('When its Redis has gone away, then it still exits within 15 s', async () => {
    redis = await startPrivateRedis();
    const server = await startServerProcess({ DATA_DIR: makeTempDir('shutdown-redis-'), REDIS_URL: redis.url });
    servers.push(server);
    const channelId = await givenDiscussion(server);
    await redis.stop();

    const { outcomes, exit } = await writeWhileTerminating(server, channelId);

    const failures = outcomes.flatMap((outcome) => ('error' in outcome ? [outcome.error] : []));
    expect(failures.filter((error) => error !== 'ECONNREFUSED')).toEqual([]);
    expect(exit.ms).toBeLessThan(15_000);
  }, 40_000);
});
