import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import Database from 'better-sqlite3';
import express from 'express';
import jwt from 'jsonwebtoken';
import { createApp } from '../src/app';
import { DEV_JWT_SECRET, loadConfig } from '../src/config';
import { postsProjection } from '../src/projections/postsProjection';
import { compileQuery } from '../src/readModels/sqliteQuery';
import type { BenchDefinition, BenchResult } from './benchTypes';
import { BENCH_WITHOUT_CLIENT_LIMITS } from './benchLimits';

// autocannon ships no types; only what this bench uses.
type AutocannonResult = { requests: { average: number }; latency: { p99: number }; non2xx: number; errors: number };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const autocannon = require('autocannon') as (options: Record<string, unknown>) => Promise<AutocannonResult>;

/**
 * A posts page (limit 20, before_id mode) over HTTP against the real server (auth
 * middleware, AJV, access decision, read-model store, presenters), beside a raw Express
 * route that runs the same SQLite query on the same read-model file and returns the rows,
 * in the same process and run, alternating. Then the real route at a fixed 2,000 req/s
 * for its p99.
 */
const POSTS = 300;
const DURATION_S = Number(process.env.BENCH_QUERY_SECONDS ?? 5);
const CONNECTIONS = 10;
const ROUNDS = 3;
const FIXED_RATE = 2000;
const workDir = path.join(__dirname, 'results', `queries-${process.pid}.tmp`);

const listen = (handler: http.RequestListener) =>
  new Promise<http.Server>((resolve) => {
    const server = http.createServer(handler);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
const portOf = (server: http.Server) => (server.address() as AddressInfo).port;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

const load = async (url: string, options: Record<string, unknown> = {}) => {
  // One worker thread generates the load, so it does not share the server's event loop.
  const result = await autocannon({ url, connections: CONNECTIONS, duration: DURATION_S, workers: 1, ...options });
  if (result.non2xx > 0 || result.errors > 0)
    throw new Error(`${url}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  return result;
};

export const bench: BenchDefinition = {
  name: 'queries',
  run: async (progress) => {
    fs.mkdirSync(workDir, { recursive: true });
    const config = loadConfig({
      NODE_ENV: 'test',
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: workDir,
      ...BENCH_WITHOUT_CLIENT_LIMITS,
    });
    const app = createApp(config);
    let raw: http.Server | undefined;
    try {
      await app.start();
      const admin = jwt.sign({ sub: 'bench-admin', role: 'admin' }, DEV_JWT_SECRET, {
        algorithm: 'HS256',
        expiresIn: 3600,
      });
      const post = async (pathname: string, body: unknown) => {
        const response = await fetch(`${app.url()}${pathname}`, {
          method: 'POST',
          headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
        if (!response.ok) throw new Error(`${pathname}: ${response.status} ${await response.text()}`);
        return (await response.json()) as { data: { id: number | string } };
      };
      const channelId = (
        await post('/api/admin/channels', {
          kind: 'BROADCAST',
          accessPolicy: 'OPEN',
          visibility: 'PUBLIC',
          title: 'Bench',
        })
      ).data.id;
      const tick = progress.phase(`publishing ${POSTS} posts through the admin API`, POSTS);
      let lastId = 0;
      for (let i = 0; i < POSTS; i++) {
        lastId = Number(
          (
            await post(`/api/admin/channels/${channelId}/posts`, {
              type: 'TEXT',
              bodyText: `Market update ${i}: EURUSD above 1.08.`,
            })
          ).data.id,
        );
        tick();
      }
      const beforeId = lastId - 100;

      // The raw route: its own read connection on the same file, the same query plan, rows as JSON.
      const db = new Database(path.join(workDir, 'readmodels.sqlite'), { readonly: true });
      // Exactly the SQL the adapter runs for this page (indexed fields live in columns).
      const { sql } = compileQuery(
        'rm_posts_v1',
        { where: { channelId: 0, id: { lt: 0 } }, orderBy: [['id', 'desc']], limit: 21 },
        new Set(postsProjection.collections[0].indexes.flat()),
      );
      const statement = db.prepare(sql);
      const rawApp = express();
      rawApp.get('/raw/channels/:id/posts', (req, res) => {
        const rows = statement.all(Number(req.params.id), Number(req.query.before_id)) as Array<{ doc: string }>;
        res.json({ items: rows.slice(0, 20).map((row) => JSON.parse(row.doc)) });
      });
      raw = await listen(rawApp);

      const appUrl = `${app.url()}/api/mobile/channels/${channelId}/posts?before_id=${beforeId}&limit=20`;
      const rawUrl = `http://127.0.0.1:${portOf(raw)}/raw/channels/${channelId}/posts?before_id=${beforeId}&limit=20`;
      await load(appUrl, { duration: 1 });
      await load(rawUrl, { duration: 1 });
      const appRates: number[] = [];
      const rawRates: number[] = [];
      const appP99: number[] = [];
      const rawP99: number[] = [];
      for (let round = 1; round <= ROUNDS; round++) {
        progress.log(`round ${round}/${ROUNDS}: ${DURATION_S}s each, ${CONNECTIONS} connections`);
        const served = await load(appUrl);
        appRates.push(served.requests.average);
        appP99.push(served.latency.p99);
        const baseline = await load(rawUrl);
        rawRates.push(baseline.requests.average);
        rawP99.push(baseline.latency.p99);
      }
      progress.log(`fixed rate ${FIXED_RATE} req/s for ${DURATION_S}s`);
      const fixed = await load(appUrl, { overallRate: FIXED_RATE });
      const fixedRaw = await load(rawUrl, { overallRate: FIXED_RATE });
      db.close();

      const rate = median(appRates);
      const rawRate = median(rawRates);
      progress.log(
        `posts page: ${Math.round(rate)} req/s (p99 ${median(appP99)} ms) vs raw ${Math.round(rawRate)} req/s (p99 ${median(rawP99)} ms); at ${FIXED_RATE} req/s p99 ${fixed.latency.p99} ms, achieved ${Math.round(fixed.requests.average)} req/s`,
      );
      const results: BenchResult[] = [
        {
          name: 'posts page (limit 20) over HTTP, real server',
          value: rate,
          unit: 'req/s',
          baseline: { name: 'raw Express route, same SQLite query', value: rawRate },
          ratio: rate / rawRate,
          target: '>= 0.7 of raw',
          met: rate / rawRate >= 0.7,
          notes: `median of ${ROUNDS} rounds of ${DURATION_S}s, ${CONNECTIONS} connections; p99 ${median(appP99)} ms vs raw ${median(rawP99)} ms`,
        },
        {
          name: `posts page p99 at ${FIXED_RATE} req/s`,
          value: fixed.latency.p99,
          unit: 'ms',
          baseline: { name: `raw route at ${FIXED_RATE} req/s`, value: fixedRaw.latency.p99 },
          ratio: fixedRaw.latency.p99 / Math.max(fixed.latency.p99, 1),
          target: '<= 10 ms',
          met: fixed.latency.p99 <= 10 && fixed.requests.average >= FIXED_RATE * 0.95,
          notes: `achieved ${Math.round(fixed.requests.average)} req/s (raw route achieved ${Math.round(fixedRaw.requests.average)} req/s)`,
        },
      ];
      return results;
    } finally {
      raw?.close();
      await app.stop();
      fs.rmSync(workDir, { recursive: true, force: true });
    }
  },
};
