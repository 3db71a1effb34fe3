import path from 'node:path';
import Database from 'better-sqlite3';
import { openKeepAliveConnection } from '../helpers/keepAliveConnection';
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

/** The message bodies the log of `dataDir` holds among `bodies` (read once the server has exited). */
const storedAmong = (dataDir: string, bodies: string[]): Set<string> => {
  const db = new Database(path.join(dataDir, 'events.sqlite'), { readonly: true });
  try {
    const data = (db.prepare('SELECT data FROM events').pluck().all() as string[]).join('\n');
    return new Set(bodies.filter((body) => data.includes(`"${body}"`)));
  } finally {
    db.close();
  }
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

  it('When clients send another write on their idle keep-alive connections just after the signal, then each is run only if it is answered', async () => {
    const dataDir = makeTempDir('shutdown-keepalive-');
    const server = await startServerProcess({ DATA_DIR: dataDir });
    servers.push(server);
    const channelId = await givenDiscussion(server);
    const messages = `/api/admin/channels/${channelId}/discussion/messages`;
    const connections = await Promise.all(Array.from({ length: 16 }, () => openKeepAliveConnection(server.url)));
    connections.forEach((connection, index) => connection.post(messages, admin, { body: `first ${index}` }));
    await Promise.all(connections.map((connection) => connection.answered(1)));

    const exit = server.signal('SIGTERM');
    // Staggered over the moment the drain ends idle connections.
    const seconds = connections.map((_, index) => `second ${index}`);
    connections.forEach((connection, index) =>
      setTimeout(() => connection.post(messages, admin, { body: seconds[index] }), Math.floor(index / 4)),
    );
    await Promise.all(connections.map((connection) => connection.closed));
    expect((await exit).code).toBe(0);

    const stored = storedAmong(dataDir, seconds);
    connections.forEach((connection, index) => {
      const answer = connection.statuses[1];
      expect({ second: index, answer, stored: stored.has(seconds[index]) }).toEqual({
        second: index,
        answer,
        stored: answer === 201,
      });
    });
  }, 40_000);

  it('When writes keep coming for the whole grace period, then the late ones are refused with 503 and every write is run only if it is answered', async () => {
    const dataDir = makeTempDir('shutdown-traffic-');
    const server = await startServerProcess({ DATA_DIR: dataDir, SHUTDOWN_GRACE_MS: '2000' });
    servers.push(server);
    const channelId = await givenDiscussion(server);
    const messages = `/api/admin/channels/${channelId}/discussion/messages`;

    const exit = server.signal('SIGTERM');
    let exited = false;
    void exit.then(() => (exited = true));
    const sent: Array<{ body: string; outcome: RawOutcome }> = [];
    await Promise.all(
      Array.from({ length: 8 }, async (_, writer) => {
        for (let index = 0; !exited; index++) {
          const body = `late ${writer}-${index}`;
          sent.push({ body, outcome: await rawRequest(server.url, 'POST', messages, admin, { body }) });
        }
      }),
    );
    expect((await exit).code).toBe(0);

    const stored = storedAmong(
      dataDir,
      sent.map(({ body }) => body),
    );
    const statusOf = (outcome: RawOutcome) => ('status' in outcome ? outcome.status : outcome.error);
    const refusals = sent.filter(({ outcome }) => statusOf(outcome) === 503);
    expect(refusals.length).toBeGreaterThan(0);
    for (const { outcome } of refusals)
      expect(JSON.parse((outcome as { body: string }).body).code).toBe('SERVICE_UNAVAILABLE');
    const mismatches = sent.filter(({ body, outcome }) => stored.has(body) !== (statusOf(outcome) === 201));
    expect(mismatches).toEqual([]);
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
