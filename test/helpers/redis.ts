import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import IORedis from 'ioredis';

const DEFAULT_URL = 'redis://127.0.0.1:6379';

const answersPing = async (url: string): Promise<boolean> => {
  const client = new IORedis(url, {
    lazyConnect: true,
    connectTimeout: 500,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  client.on('error', () => {});
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
};

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });

export type PrivateRedis = {
  url: string;
  /** Stops the server (its append-only file keeps the data for `start`). */
  stop: () => Promise<void>;
  /** Starts it again on the same port and data dir (no-op while it runs). */
  start: () => Promise<void>;
  /** Stops the process where it stands (SIGSTOP): its connections stay open and nothing answers. */
  freeze: () => void;
  /** Lets a frozen server go on (SIGCONT). */
  thaw: () => void;
};

const requireBinary = () => {
  if (spawnSync('redis-server', ['--version']).error) {
    throw new Error(
      'No Redis answers on 127.0.0.1:6379 and the redis-server binary is not on PATH: install Redis or set REDIS_URL.',
    );
  }
};

/** A redis-server of our own on a random port, persisting to a temp dir so a restart keeps the queue. */
export const startPrivateRedis = async (): Promise<PrivateRedis> => {
  requireBinary();
  const port = await freePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'push-redis-'));
  const url = `redis://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;
  const start = async () => {
    if (child && child.exitCode === null) return;
    child = spawn(
      'redis-server',
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--dir',
        dir,
        '--appendonly',
        'yes',
        '--appendfsync',
        'always',
        '--save',
        '',
      ],
      { stdio: 'ignore' },
    );
    for (let tries = 0; !(await answersPing(url)); tries += 1) {
      if (tries > 100) throw new Error(`Private redis-server on port ${port} did not start`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  const stop = async () => {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      running.once('exit', () => resolve());
      running.kill('SIGCONT'); // a frozen one would never act on the SIGTERM
      running.kill('SIGTERM');
    });
  };
  await start();
  return { url, start, stop, freeze: () => child?.kill('SIGSTOP'), thaw: () => child?.kill('SIGCONT') };
};

/**
 * A reachable Redis URL: REDIS_URL or 127.0.0.1:6379 if it answers PING, otherwise a
 * private redis-server (stop it with `close`). Fails with a clear message if neither exists.
 */
export const getRedisUrl = async (): Promise<{ url: string; close: () => Promise<void> }> => {
  const candidate = process.env.REDIS_URL || DEFAULT_URL;
  if (await answersPing(candidate)) return { url: candidate, close: async () => {} };
  const redis = await startPrivateRedis();
  return { url: redis.url, close: redis.stop };
};

/** Deletes every key under a prefix (a test run's BullMQ queue and push keys). */
export const deleteKeys = async (url: string, prefix: string): Promise<void> => {
  const client = new IORedis(url);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      if (keys.length > 0) await client.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    client.disconnect();
  }
};
