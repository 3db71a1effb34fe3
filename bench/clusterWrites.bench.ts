import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import IORedis from 'ioredis';
import jwt from 'jsonwebtoken';
import { DEV_JWT_SECRET } from '../src/config';
import { spawnServer, type ServerProcess } from '../test/helpers/serverProcess';
import { BENCH_WITHOUT_CLIENT_LIMITS } from './benchLimits';
import type { BenchDefinition, BenchResult } from './benchTypes';

type AutocannonResult = { requests: { average: number }; latency: { p99: number }; non2xx: number; errors: number };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const autocannon = require('autocannon') as (options: Record<string, unknown>) => Promise<AutocannonResult>;

/**
 * Issue 11: discussion messages over HTTP with two `api` processes (and a `projector,push`
 * process) behind one store, beside one process running every role, in the same run. Each
 * node gets half of the connections. On the embedded store both API nodes append to the same
 * SQLite file, so the second node adds HTTP and decision capacity, not log capacity.
 */
const USERS = 64;
const CONNECTIONS = 32;
const DURATION_S = Number(process.env.BENCH_CLUSTER_SECONDS ?? 5);
/** 1: every node writes to one hot discussion stream (conflicts across nodes); more spreads the users. */
const DISCUSSIONS = Number(process.env.BENCH_CLUSTER_DISCUSSIONS ?? 1);

const sign = (sub: string, role: 'user' | 'admin') =>
  jwt.sign({ sub, role }, DEV_JWT_SECRET, { algorithm: 'HS256', expiresIn: 3600 });

const redisAnswers = async (url: string) => {
  const client = new IORedis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
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

const admin = sign('019ce156-1647-75b9-a5ba-07758a4f7675', 'admin');

const call = async (url: string, method: string, pathname: string, body: unknown) => {
  const response = await fetch(`${url}${pathname}`, {
    method,
    headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${pathname}: ${response.status} ${await response.text()}`);
  return (await response.json()) as { data: { id: number } };
};

const openDiscussion = async (url: string) => {
  const channel = { kind: 'BROADCAST', accessPolicy: 'OPEN', visibility: 'PUBLIC', title: 'Cluster bench' };
  const channelId = (await call(url, 'POST', '/api/admin/channels', channel)).data.id;
  await call(url, 'PUT', `/api/admin/channels/${channelId}/discussion`, {
    title: 'Bench discussion',
    isEnabled: true,
    requiredFeatureKey: null,
    slowModeEnabled: false,
    slowModeIntervalSeconds: null,
  });
  return channelId;
};

const openDiscussions = async (url: string) => {
  const channelIds: number[] = [];
  for (let index = 0; index < DISCUSSIONS; index++) channelIds.push(await openDiscussion(url));
  return channelIds;
};

const messageRequests = (channelIds: number[]) =>
  Array.from({ length: USERS }, (_, user) => ({
    method: 'POST',
    path: `/api/mobile/channels/${channelIds[user % channelIds.length]}/discussion/messages`,
    headers: { authorization: `Bearer ${sign(`bench-user-${user}`, 'user')}`, 'content-type': 'application/json' },
    body: JSON.stringify({ body: 'I am waiting for candle confirmation before entry.' }),
  }));

/** The same load spread over `urls`, measured at once; the rate is their sum, p99 the worst node's. */
const load = async (urls: string[], channelIds: number[], duration = DURATION_S) => {
  const results = await Promise.all(
    urls.map((url) =>
      autocannon({
        url,
        connections: CONNECTIONS / urls.length,
        duration,
        workers: 1,
        requests: messageRequests(channelIds),
      }),
    ),
  );
  const failed = results.reduce((sum, result) => sum + result.non2xx + result.errors, 0);
  if (failed > 0) throw new Error(`${failed} requests failed`);
  return {
    rate: results.reduce((sum, result) => sum + result.requests.average, 0),
    p99: Math.max(...results.map((result) => result.latency.p99)),
  };
};

const run: BenchDefinition['run'] = async (progress) => {
  const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const withRedis = await redisAnswers(redisUrl);
  const prefix = `bench-cluster-${process.pid}`;
  const env = {
    ...BENCH_WITHOUT_CLIENT_LIMITS,
    LOG_LEVEL: 'info', // spawnServer learns the URL from the 'listening' line
    ...(withRedis
      ? {
          REDIS_URL: redisUrl,
          PUSH_QUEUE_PREFIX: prefix,
          PUSH_KEY_PREFIX: `${prefix}-push`,
          RATE_LIMIT_KEY_PREFIX: prefix,
        }
      : {}),
  };
  const servers: ServerProcess[] = [];
  const dirs: string[] = [];
  const dataDir = () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-cluster-'));
    dirs.push(dir);
    return dir;
  };
  try {
    progress.log(`one process (all roles) vs two api nodes + projector,push${withRedis ? ', Redis' : ', no Redis'}`);
    const single = await spawnServer(dataDir(), env);
    servers.push(single);
    const singleChannels = await openDiscussions(single.url);
    await load([single.url], singleChannels, 1);
    const one = await load([single.url], singleChannels);
    progress.log(`one node: ${Math.round(one.rate)}/s, p99 ${one.p99} ms`);
    await single.stop();

    const shared = dataDir();
    const projector = await spawnServer(shared, { ...env, ROLES: 'projector,push' });
    servers.push(projector);
    const apis = [
      await spawnServer(shared, { ...env, ROLES: 'api' }),
      await spawnServer(shared, { ...env, ROLES: 'api' }),
    ];
    servers.push(...apis);
    const channelIds = await openDiscussions(apis[0].url);
    const urls = apis.map((api) => api.url);
    await load(urls, channelIds, 1);
    const two = await load(urls, channelIds);
    progress.log(`two api nodes: ${Math.round(two.rate)}/s, p99 ${two.p99} ms`);

    const results: BenchResult[] = [
      {
        name: `discussion messages over HTTP, two api nodes + projector (${CONNECTIONS} connections split, ${DISCUSSIONS} discussion(s))`,
        value: two.rate,
        unit: 'req/s',
        baseline: { name: 'one process running every role, same load', value: one.rate },
        ratio: two.rate / one.rate,
        notes: `p99 ${two.p99} ms (one node: ${one.p99} ms); SQLite DATA_DIR shared by three processes on ${os.cpus().length} cores`,
      },
    ];
    return results;
  } finally {
    await Promise.all(servers.map((server) => server.stop()));
    dirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true }));
  }
};

export const bench: BenchDefinition = { name: 'cluster writes', run };
