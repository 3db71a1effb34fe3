import { randomUUID } from 'node:crypto';
import { TEST_OPS_TOKEN } from '../helpers/testApp';
import { startServerProcess, type ServerProcess } from '../helpers/serverProcess';

/** Every process a cluster suite spawned; killed on teardown and, whatever happens, when jest's worker exits. */
const spawned = new Set<ServerProcess>();
process.once('exit', () => spawned.forEach((server) => server.child.kill('SIGKILL')));

/** One cluster's shared settings: one data dir, one Redis, key prefixes of its own (Redis is shared by other runs). */
export const clusterEnv = (dataDir: string, redisUrl: string): Record<string, string> => {
  const prefix = `cluster-${randomUUID().slice(0, 8)}`;
  return {
    DATA_DIR: dataDir,
    REDIS_URL: redisUrl,
    OPS_TOKEN: TEST_OPS_TOKEN,
    PUSH_QUEUE_PREFIX: prefix,
    RATE_LIMIT_KEY_PREFIX: `${prefix}-rl`,
    // The suites drive the nodes hard from one address; rate limits have suites of their own.
    RATE_LIMIT_IP_PER_MINUTE: '0',
    RATE_LIMIT_USER_PER_MINUTE: '0',
    RATE_LIMIT_ADMIN_PER_MINUTE: '0',
    RATE_LIMIT_SERVICE_PER_MINUTE: '0',
  };
};

/** A node of the cluster (`ROLES=...`), tracked for teardown. */
export const startNode = async (env: Record<string, string>, roles: string): Promise<ServerProcess> => {
  const server = await startServerProcess({ ...env, ROLES: roles });
  spawned.add(server);
  return server;
};

/** SIGKILL for every node still running (teardown: a graceful stop is not under test here). */
export const killNodes = async (): Promise<void> => {
  const running = [...spawned];
  spawned.clear();
  await Promise.all(
    running.map(
      (server) =>
        new Promise<void>((resolve) => {
          if (server.child.exitCode !== null || server.child.signalCode !== null) return resolve();
          server.child.once('exit', () => resolve());
          server.child.kill('SIGKILL');
        }),
    ),
  );
};

/** Polls `probe` until it returns a value (not undefined); throws with `what` after `timeoutMs` (a hang guard, not a timing assertion). */
export const eventually = async <T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 20_000) => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
};
