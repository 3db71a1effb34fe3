import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import jwt from 'jsonwebtoken';
import { io, type Socket } from 'socket.io-client';
import { DEV_JWT_SECRET } from '../src/config';
import type { BenchDefinition, BenchResult } from './benchTypes';

/**
 * One hostile but ordinary logged-in user floods the server with `sync_channel_posts`
 * (sinceEventId = the first event of a busy stream, limit 1000), 2,000 of them from one socket
 * without waiting for answers, while other clients read (a REST posts page and a small socket
 * sync, 20 probes a second). The server runs as its own process (`src/main.ts`, the default
 * limits); its RSS is sampled from /proc. Baseline: the same probes against the same server idle,
 * in the same run. Targets from issue 12: other clients' p99 within 2x of idle, RSS growth
 * under 100 MB.
 */
const POSTS = Number(process.env.BENCH_FLOOD_POSTS ?? 1100);
const SYNCS = Number(process.env.BENCH_FLOOD_SYNCS ?? 2000);
const PHASE_MS = 10_000;
const PROBES_PER_SECOND = 20;

const root = path.resolve(__dirname, '..');
const sign = (sub: string, role = 'user') =>
  jwt.sign({ sub, role }, DEV_JWT_SECRET, { algorithm: 'HS256', expiresIn: 3600 });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
};

const rssMbOf = (pid: number): number => {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
};

const startServer = (dataDir: string): Promise<{ child: ChildProcess; url: string }> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: root,
      env: {
        ...process.env,
        NODE_ENV: 'development',
        PORT: '0',
        HOST: '127.0.0.1',
        DATA_DIR: dataDir,
        LOG_LEVEL: 'info',
      },
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /"url":"(http:\/\/[^"]+)"/.exec(output);
      if (match) {
        child.stdout.removeAllListeners('data');
        child.stdout.resume();
        resolve({ child, url: match[1] });
      }
    });
    child.once('close', (code) => reject(new Error(`server exited with ${code}: ${output.slice(-500)}`)));
  });

const connect = (url: string, token: string): Promise<Socket> =>
  new Promise((resolve, reject) => {
    const socket = io(url, { auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true });
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', reject);
  });

const call = async (url: string, method: string, route: string, token: string, body?: unknown) => {
  const response = await fetch(`${url}${route}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (response.status >= 300) throw new Error(`${method} ${route}: ${response.status} ${await response.text()}`);
  return (await response.json()) as { data: { id: number } };
};

/** Probes for `ms`: a REST page and a small socket sync, alternating; returns their latencies. */
const probe = async (url: string, channelId: number, reader: Socket, cursor: string, ms: number) => {
  const token = sign('probe-user');
  const latencies: number[] = [];
  const end = Date.now() + ms;
  for (let i = 0; Date.now() < end; i += 1) {
    const started = performance.now();
    if (i % 2 === 0) {
      await fetch(`${url}/api/mobile/channels/${channelId}/posts?limit=20`, {
        headers: { authorization: `Bearer ${token}` },
      }).then((response) => response.arrayBuffer());
    } else {
      await reader
        .timeout(30_000)
        .emitWithAck('communication:sync_channel_posts', { channelId, sinceEventId: cursor, limit: 10 });
    }
    latencies.push(performance.now() - started);
    await sleep(Math.max(0, 1000 / PROBES_PER_SECOND - (performance.now() - started)));
  }
  return latencies;
};

export const bench: BenchDefinition = {
  name: 'sync flood from one socket',
  run: async (progress) => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-flood-'));
    const { child, url } = await startServer(dataDir);
    const results: BenchResult[] = [];
    try {
      const admin = sign('bench-admin', 'admin');
      const channelId = (
        await call(url, 'POST', '/api/admin/channels', admin, {
          kind: 'BROADCAST',
          accessPolicy: 'OPEN',
          visibility: 'PUBLIC',
          title: 'Busy',
        })
      ).data.id;
      const reader = await connect(url, sign('probe-reader'));
      const first = (await reader.emitWithAck('communication:sync_channel_posts', { channelId })) as {
        data: { lastEventId: string };
      };
      const cursor = first.data.lastEventId;
      const tick = progress.phase(`seeding ${POSTS} posts of 1 KB`, POSTS);
      for (let i = 0; i < POSTS; i += 10) {
        await Promise.all(
          Array.from({ length: Math.min(10, POSTS - i) }, (_, k) =>
            call(url, 'POST', `/api/admin/channels/${channelId}/posts`, admin, {
              type: 'TEXT',
              bodyText: `post ${i + k} `.padEnd(1000, '.'),
            }).then(() => tick()),
          ),
        );
      }
      await sleep(1000);
      progress.log('idle baseline');
      const rssIdle = rssMbOf(child.pid as number);
      const idle = await probe(url, channelId, reader, cursor, PHASE_MS);

      progress.log(`flood: ${SYNCS} syncs (limit 1000) from one socket over ${PHASE_MS / 1000} s`);
      const flooder = await connect(url, sign('flooder'));
      let flooderDisconnect = 'stayed connected';
      flooder.once('disconnect', (reason) => {
        flooderDisconnect = `disconnected by the server (${reason})`;
      });
      const answers = { ok: 0, limited: 0, other: 0 };
      let rssPeak = rssMbOf(child.pid as number);
      const sampler = setInterval(() => {
        rssPeak = Math.max(rssPeak, rssMbOf(child.pid as number));
      }, 100);
      const perBurst = SYNCS / 10;
      const flood = (async () => {
        for (let burst = 0; burst < 10; burst += 1) {
          for (let i = 0; i < perBurst; i += 1) {
            flooder.emit(
              'communication:sync_channel_posts',
              { channelId, sinceEventId: cursor, limit: 1000 },
              (ack: { ok: boolean; error?: { code: string } }) => {
                if (ack.ok) answers.ok += 1;
                else if (ack.error?.code === 'RATE_LIMITED') answers.limited += 1;
                else answers.other += 1;
              },
            );
          }
          await sleep(PHASE_MS / 10);
        }
      })();
      const flooded = await probe(url, channelId, reader, cursor, PHASE_MS);
      await flood;
      await sleep(1000);
      clearInterval(sampler);
      flooder.disconnect();
      reader.disconnect();

      const idleP99 = percentile(idle, 99);
      const floodP99 = percentile(flooded, 99);
      results.push({
        name: "other clients' p99 during the flood",
        value: floodP99,
        unit: 'ms',
        baseline: { name: 'same probes, idle server', value: idleP99 },
        ratio: floodP99 / idleP99,
        target: '<= 2x idle',
        met: floodP99 <= 2 * idleP99,
        notes: `${flooded.length} probes (REST page + socket sync of 10); flood answers: ${answers.ok} ok, ${answers.limited} RATE_LIMITED, ${answers.other} other; the flooder ${flooderDisconnect}`,
      });
      results.push({
        name: 'server RSS growth during the flood',
        value: rssPeak - rssIdle,
        unit: 'MB',
        target: '< 100 MB',
        met: rssPeak - rssIdle < 100,
        notes: `idle ${rssIdle.toFixed(0)} MB, peak ${rssPeak.toFixed(0)} MB (server process, /proc VmRSS every 100 ms)`,
      });
      return results;
    } finally {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('close', resolve));
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  },
};
