import { createSecretKey } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import Database from 'better-sqlite3';
import express from 'express';
import jwt from 'jsonwebtoken';
import { v7 as uuidv7 } from 'uuid';
import { createApp } from '../src/app';
import { DEV_JWT_SECRET, loadConfig } from '../src/config';
import { EVENTS_SCHEMA } from '../src/eventStore/sqlite';
import type { BenchDefinition, BenchResult } from './benchTypes';
import { BENCH_WITHOUT_CLIENT_LIMITS } from './benchLimits';
import { openGroupCommitRoute } from './groupCommitRoute';

// autocannon ships no types; only what this bench uses.
type AutocannonResult = {
  requests: { average: number };
  latency: { p50: number; p99: number };
  non2xx: number;
  errors: number;
};
// eslint-disable-next-line @typescript-eslint/no-require-imports
const autocannon = require('autocannon') as (options: Record<string, unknown>) => Promise<AutocannonResult>;

/**
 * Discussion messages posted over HTTP to the real server (auth, validation, access
 * decision, command handler, durable append, read-your-writes wait), 64 users through 32
 * connections, beside (a) a plain Express route that verifies the same JWT with a
 * KeyObject and does one fsynced SQLite insert per request, (b) a no-op Express POST
 * route (the HTTP ceiling of this machine and load generator) and (c) route (a) with its
 * inserts group-committed on a worker thread (groupCommitRoute), same generator, same run,
 * in alternated rounds (BENCH_HTTP_ROUNDS, 3), each figure the median of its rounds.
 */
const USERS = 64;
const CONNECTIONS = 32;
const DURATION_S = Number(process.env.BENCH_HTTP_SECONDS ?? 5);
const DISCUSSIONS = Number(process.env.BENCH_HTTP_DISCUSSIONS ?? 1);
const ROUNDS = Number(process.env.BENCH_HTTP_ROUNDS ?? 3);
const workDir = path.join(__dirname, 'results', `http-messages-${process.pid}.tmp`);

const listen = (handler: http.RequestListener) =>
  new Promise<http.Server>((resolve) => {
    const server = http.createServer(handler);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
const urlOf = (server: http.Server) => `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

const sign = (sub: string, role: 'user' | 'admin') =>
  jwt.sign({ sub, role }, DEV_JWT_SECRET, { algorithm: 'HS256', expiresIn: 3600 });

const load = async (url: string, requests: Array<Record<string, unknown>>, duration = DURATION_S) => {
  // One worker thread generates the load, so it does not share the server's event loop.
  const result = await autocannon({ url, connections: CONNECTIONS, duration, workers: 1, requests });
  if (result.non2xx > 0 || result.errors > 0)
    throw new Error(`${url}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  return result;
};

type Run = { rate: number; p50: number; p99: number };
const runOf = (result: AutocannonResult): Run => ({
  rate: result.requests.average,
  p50: result.latency.p50,
  p99: result.latency.p99,
});
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const medianRun = (runs: Run[]): Run => ({
  rate: median(runs.map((run) => run.rate)),
  p50: median(runs.map((run) => run.p50)),
  p99: median(runs.map((run) => run.p99)),
});

/** Route (a): the same JWT check (KeyObject, HS256) and one durable insert into the events table. */
const naiveRoute = (file: string) => {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec(EVENTS_SCHEMA);
  const insert = db.prepare(
    'INSERT INTO events (event_id, stream_name, revision, type, data, metadata, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const key = createSecretKey(Buffer.from(DEV_JWT_SECRET, 'utf8'));
  let revision = 0;
  const app = express();
  app.use(express.json());
  app.post('/naive/messages', (req, res) => {
    const token = (req.headers.authorization ?? '').slice('Bearer '.length);
    const claims = jwt.verify(token, key, { algorithms: ['HS256'] }) as { sub: string };
    const body = req.body as { body: string };
    const now = new Date().toISOString();
    insert.run(
      uuidv7(),
      'naive-1',
      revision++,
      'Naive',
      JSON.stringify({ body: body.body, by: claims.sub }),
      '{}',
      now,
    );
    res.status(201).json({ data: { id: revision } });
  });
  return { app, close: () => db.close() };
};

export const bench: BenchDefinition = {
  name: 'HTTP discussion messages',
  run: async (progress) => {
    fs.mkdirSync(workDir, { recursive: true });
    const config = loadConfig({
      ...BENCH_WITHOUT_CLIENT_LIMITS,
      NODE_ENV: 'test',
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: workDir,
      LOG_LEVEL: 'silent',
    });
    const app = createApp(config);
    const servers: http.Server[] = [];
    const naive = naiveRoute(path.join(workDir, 'naive.sqlite'));
    const grouped = await openGroupCommitRoute(path.join(workDir, 'grouped.sqlite'));
    try {
      await app.start();
      const admin = sign('019ce156-1647-75b9-a5ba-07758a4f7675', 'admin');
      const call = async (method: string, pathname: string, body: unknown) => {
        const response = await fetch(`${app.url()}${pathname}`, {
          method,
          headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
        if (!response.ok) throw new Error(`${pathname}: ${response.status} ${await response.text()}`);
        return (await response.json()) as { data: { id: number } };
      };
      const channels: number[] = [];
      for (let index = 0; index < DISCUSSIONS; index++) {
        const channel = { kind: 'BROADCAST', accessPolicy: 'OPEN', visibility: 'PUBLIC', title: `Bench ${index}` };
        const channelId = (await call('POST', '/api/admin/channels', channel)).data.id;
        await call('PUT', `/api/admin/channels/${channelId}/discussion`, {
          title: 'Bench discussion',
          isEnabled: true,
          requiredFeatureKey: null,
          slowModeEnabled: false,
          slowModeIntervalSeconds: null,
        });
        channels.push(channelId);
      }
      const body = JSON.stringify({ body: 'I am waiting for candle confirmation before entry.' });
      const requestsTo = (pathOf: (user: number) => string) =>
        Array.from({ length: USERS }, (_, user) => ({
          method: 'POST',
          path: pathOf(user),
          headers: {
            authorization: `Bearer ${sign(`bench-user-${user}`, 'user')}`,
            'content-type': 'application/json',
          },
          body,
        }));
      const productRequests = requestsTo(
        (user) => `/api/mobile/channels/${channels[user % channels.length]}/discussion/messages`,
      );
      // As the client SDK sends every write: with a fresh Idempotency-Key.
      const keyedRequests = productRequests.map((request) => ({
        ...request,
        setupRequest: path.join(__dirname, 'idempotencyKeyRequest.ts'),
      }));
      const naiveServer = await listen(naive.app);
      servers.push(naiveServer);
      const noop = express();
      noop.use(express.json());
      noop.post('/noop', (_req, res) => void res.status(201).json({ data: { ok: true } }));
      const noopServer = await listen(noop);
      servers.push(noopServer);
      const groupedServer = await listen(grouped.app);
      servers.push(groupedServer);

      const routes: Array<{ name: string; url: string; requests: Array<Record<string, unknown>> }> = [
        { name: 'product', url: app.url(), requests: productRequests },
        { name: 'product with Idempotency-Key', url: app.url(), requests: keyedRequests },
      ];
      // For profiling the product alone (node --cpu-prof, strace -c): skip the baselines.
      if (!process.env.BENCH_HTTP_PRODUCT_ONLY) {
        routes.push({ name: 'naive route', url: urlOf(naiveServer), requests: requestsTo(() => '/naive/messages') });
        routes.push({ name: 'no-op route', url: urlOf(noopServer), requests: requestsTo(() => '/noop') });
        const groupedRequests = requestsTo(() => '/grouped/messages');
        routes.push({ name: 'group-commit route', url: urlOf(groupedServer), requests: groupedRequests });
      }
      progress.log(
        `warm-up, then ${ROUNDS} rounds of ${DURATION_S}s each: ${routes.map((route) => route.name).join(', ')}`,
      );
      await load(app.url(), productRequests, 1);
      // Rounds alternate the routes, so a machine that slows down or speeds up during the run
      // weighs on the product and its baselines alike; each figure is the median of its rounds.
      const runs = new Map(routes.map((route) => [route.name, [] as Run[]]));
      for (let round = 1; round <= ROUNDS; round++) {
        for (const route of routes) {
          const run = runOf(await load(route.url, route.requests));
          runs.get(route.name)?.push(run);
          progress.log(`round ${round}/${ROUNDS}, ${route.name}: ${Math.round(run.rate)}/s, p99 ${run.p99} ms`);
        }
      }
      if (process.env.BENCH_HTTP_PRODUCT_ONLY) return [];
      const medianOf = (name: string) => medianRun(runs.get(name) ?? []);
      const product = medianOf('product');
      const keyed = medianOf('product with Idempotency-Key');
      const rate = product.rate;
      const naiveRate = medianOf('naive route').rate;
      const ceiling = medianOf('no-op route').rate;
      const groupedRate = medianOf('group-commit route').rate;
      const perRound = (name: string) => (runs.get(name) ?? []).map((run) => Math.round(run.rate)).join('/');
      const rounds = `rounds: product ${perRound('product')}, naive ${perRound('naive route')}, no-op ${perRound('no-op route')}, group-commit ${perRound('group-commit route')}`;
      const results: BenchResult[] = [
        {
          name: `discussion messages accepted over HTTP, ${CONNECTIONS} connections, ${USERS} users, ${DISCUSSIONS} discussion(s)`,
          value: rate,
          unit: 'req/s',
          baseline: { name: 'Express route: same JWT check (KeyObject) + one fsynced insert', value: naiveRate },
          ratio: rate / naiveRate,
          target: '>= 2x the naive route, p99 <= 50 ms',
          met: rate >= 2 * naiveRate && product.p99 <= 50,
          notes: `median of ${ROUNDS} alternated rounds; p50 ${product.p50} ms, p99 ${product.p99} ms; no-op Express POST ${Math.round(ceiling)}/s (product at ${(rate / ceiling).toFixed(2)} of it); ${rounds}`,
        },
        {
          name: 'the same, each request with a fresh Idempotency-Key (as the client SDK sends writes)',
          value: keyed.rate,
          unit: 'req/s',
          baseline: { name: 'Express route: same JWT check (KeyObject) + one fsynced insert', value: naiveRate },
          ratio: keyed.rate / naiveRate,
          notes: `p50 ${keyed.p50} ms, p99 ${keyed.p99} ms; rounds ${perRound('product with Idempotency-Key')}`,
        },
        {
          name: 'discussion messages: share of the no-op Express POST ceiling',
          value: rate,
          unit: 'req/s',
          baseline: { name: 'no-op Express POST route', value: ceiling },
          ratio: rate / ceiling,
        },
        {
          name: 'discussion messages against route (c): route (a) with its inserts group-committed on a thread',
          value: rate,
          unit: 'req/s',
          baseline: {
            name: 'Express route: same JWT check + inserts group-committed on a worker thread',
            value: groupedRate,
          },
          ratio: rate / groupedRate,
          notes: `route (c) is ${(groupedRate / naiveRate).toFixed(2)}x route (a): the least a durable write route costs here once its fsync is off the event loop and shared, no command, projection or realtime work; p99 ${medianOf('group-commit route').p99} ms`,
        },
        {
          name: 'discussion messages p99 latency',
          value: product.p99,
          unit: 'ms',
          target: '<= 50 ms',
          met: product.p99 <= 50,
          notes: `median of the rounds' p99: ${(runs.get('product') ?? []).map((run) => run.p99).join('/')} ms`,
        },
      ];
      return results;
    } finally {
      servers.forEach((server) => server.close());
      naive.close();
      await grouped.close();
      await app.stop();
      fs.rmSync(workDir, { recursive: true, force: true });
    }
  },
};
