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
 * KeyObject and does one fsynced SQLite insert per request and (b) a no-op Express POST
 * route (the HTTP ceiling of this machine and load generator), same generator, same run.
 */
const USERS = 64;
const CONNECTIONS = 32;
const DURATION_S = Number(process.env.BENCH_HTTP_SECONDS ?? 5);
const DISCUSSIONS = Number(process.env.BENCH_HTTP_DISCUSSIONS ?? 1);
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

      progress.log(`warm-up, then ${DURATION_S}s each: product, product with keys, naive route, no-op route`);
      await load(app.url(), productRequests, 1);
      const product = await load(app.url(), productRequests);
      progress.log(`product: ${Math.round(product.requests.average)}/s, p99 ${product.latency.p99} ms`);
      const keyed = await load(app.url(), keyedRequests);
      progress.log(
        `product with Idempotency-Key: ${Math.round(keyed.requests.average)}/s, p99 ${keyed.latency.p99} ms`,
      );
      // For profiling the product alone (node --cpu-prof, strace -c): skip the baselines.
      if (process.env.BENCH_HTTP_PRODUCT_ONLY) return [];
      const naiveResult = await load(
        urlOf(naiveServer),
        requestsTo(() => '/naive/messages'),
      );
      const noopResult = await load(
        urlOf(noopServer),
        requestsTo(() => '/noop'),
      );
      const rate = product.requests.average;
      const naiveRate = naiveResult.requests.average;
      const ceiling = noopResult.requests.average;
      progress.log(
        `product ${Math.round(rate)}/s (p50 ${product.latency.p50} ms, p99 ${product.latency.p99} ms); naive ${Math.round(naiveRate)}/s (p99 ${naiveResult.latency.p99} ms); no-op ${Math.round(ceiling)}/s`,
      );
      const results: BenchResult[] = [
        {
          name: `discussion messages accepted over HTTP, ${CONNECTIONS} connections, ${USERS} users, ${DISCUSSIONS} discussion(s)`,
          value: rate,
          unit: 'req/s',
          baseline: { name: 'Express route: same JWT check (KeyObject) + one fsynced insert', value: naiveRate },
          ratio: rate / naiveRate,
          target: '>= 2x the naive route, p99 <= 50 ms',
          met: rate >= 2 * naiveRate && product.latency.p99 <= 50,
          notes: `p50 ${product.latency.p50} ms, p99 ${product.latency.p99} ms; no-op Express POST ${Math.round(ceiling)}/s (product at ${(rate / ceiling).toFixed(2)} of it)`,
        },
        {
          name: 'the same, each request with a fresh Idempotency-Key (as the client SDK sends writes)',
          value: keyed.requests.average,
          unit: 'req/s',
          baseline: { name: 'Express route: same JWT check (KeyObject) + one fsynced insert', value: naiveRate },
          ratio: keyed.requests.average / naiveRate,
          notes: `p50 ${keyed.latency.p50} ms, p99 ${keyed.latency.p99} ms`,
        },
        {
          name: 'discussion messages: share of the no-op Express POST ceiling',
          value: rate,
          unit: 'req/s',
          baseline: { name: 'no-op Express POST route', value: ceiling },
          ratio: rate / ceiling,
        },
        {
          name: 'discussion messages p99 latency',
          value: product.latency.p99,
          unit: 'ms',
          target: '<= 50 ms',
          met: product.latency.p99 <= 50,
        },
      ];
      return results;
    } finally {
      servers.forEach((server) => server.close());
      naive.close();
      await app.stop();
      fs.rmSync(workDir, { recursive: true, force: true });
    }
  },
};
