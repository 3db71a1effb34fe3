import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import jwt from 'jsonwebtoken';
import { v7 as uuidv7 } from 'uuid';
import { Server } from 'socket.io';
import { io as connectClient, type Socket } from 'socket.io-client';
import { createApp } from '../src/app';
import { DEV_JWT_SECRET, loadConfig } from '../src/config';
import type { BenchDefinition, BenchProgress, BenchResult } from './benchTypes';
import { BENCH_WITHOUT_CLIENT_LIMITS } from './benchLimits';

/**
 * Realtime gateway. The server (the real app: HTTP commands, SQLite, projections, the
 * gateway) runs in a child process so that its CPU and memory are not mixed with the
 * 10,000 socket.io-client connections this process opens; both share the machine's cores.
 *
 * - latency: append issued → envelope received (p99; also from the append's commit), at
 *   SUBSCRIBERS subscribers in LATENCY_CHANNELS rooms while RATE posts/s are written; those
 *   subscribers live in CLIENT_PROCESSES forked processes, and the CPU time of the server
 *   and of the clients over the run is reported beside it (all share the machine);
 * - fan-out: one post to FANOUT sockets in one room (command sent → last socket received)
 *   beside a raw Socket.io `io.emit` of the same envelope to FANOUT sockets of a plain
 *   server in the same child (emit requested → last socket received);
 * - memory per idle authenticated socket (server heap + external, after GC);
 * - sync of 1,000 missed events (one `sync_channel_posts` ack, limit 1000).
 */
const SUBSCRIBERS = 1000;
const LATENCY_CHANNELS = Number(process.env.REALTIME_BENCH_CHANNELS ?? 50);
const RATE = Number(process.env.REALTIME_BENCH_RATE ?? 1000);
const LATENCY_SECONDS = Number(process.env.REALTIME_BENCH_SECONDS ?? 4);
const LATENCY_ROUNDS = Number(process.env.REALTIME_BENCH_LATENCY_ROUNDS ?? 3);
const FANOUT = Number(process.env.REALTIME_BENCH_FANOUT ?? 10_000);
const FANOUT_ROUNDS = 5;
const SYNC_EVENTS = 1000;
const SYNC_ROUNDS = 5;
const CONNECT_BATCH = 250;
const CLIENT_PROCESSES = Number(process.env.REALTIME_BENCH_CLIENT_PROCESSES ?? 1);
/** `latency` runs only the latency measurement (quicker, and a CPU profile of just that phase). */
const ONLY = process.env.REALTIME_BENCH_ONLY;

type ChildRequest = {
  id: number;
  type: 'memory' | 'cpu' | 'rawBroadcast' | 'append' | 'rawAppend' | 'stop';
  payload?: unknown;
};
type AppendRequest = { channelIds: number[]; count: number; rate: number; tag: string };

/** Wall-clock milliseconds with sub-millisecond resolution, comparable across processes. */
const wallNow = () => performance.timeOrigin + performance.now();

/** Calls `send(seq, channelId)` `request.count` times at `request.rate` per second, round-robin over the channels. */
const paced = async (request: AppendRequest, send: (seq: number, channelId: number) => void) => {
  const started = performance.now();
  for (let sent = 0; sent < request.count;) {
    const due = Math.min(request.count, Math.floor(((performance.now() - started) / 1000) * request.rate) + 1);
    for (; sent < due; sent += 1) send(sent, request.channelIds[sent % request.channelIds.length]);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
};

/**
 * What PublishPost appends, written straight through the event store port at a paced
 * rate: the load generator must not be the write side's HTTP path (measured by its own
 * bench). bodyText carries the instant the append was issued and its sequence number;
 * the reply holds the instant each append was acknowledged (committed), by sequence.
 */
const appendPosts = async (app: ReturnType<typeof createApp>, request: AppendRequest): Promise<AppendReply> => {
  const appends: Promise<unknown>[] = [];
  const acked: number[] = [];
  await paced(request, (seq, channelId) => {
    const id = uuidv7();
    appends.push(
      app.eventStore
        .appendToStream(`channel-${channelId}`, [
          {
            id,
            type: 'PostPublished',
            data: {
              postId: 1_000_000_000 + postCounter++,
              channelId,
              type: 'TEXT',
              bodyText: `${request.tag}:${wallNow()}:${seq}`,
              linkUrl: null,
              chartPayloadJson: null,
              attachments: [],
              createdByAdminId: 'bench-admin',
              publishedAt: new Date().toISOString(),
            },
            metadata: { actor: { type: 'admin', id: 'bench-admin' }, correlationId: id, causationId: id },
          },
        ])
        .then(() => {
          acked[seq] = wallNow();
        }),
    );
  });
  await Promise.all(appends);
  return { count: request.count, acked };
};
type AppendReply = { count: number; acked: number[] };

/**
 * The baseline of the latency run: the same envelopes at the same pace into the same rooms
 * of a plain Socket.io server in the same process, with no event store, projections or
 * gateway in between. Whatever latency this shows is the machine's and Socket.io's.
 */
const emitRawPosts = async (raw: Server, request: AppendRequest): Promise<AppendReply> => {
  const acked: number[] = [];
  await paced(request, (seq, channelId) => {
    const issuedAt = wallNow();
    raw.to(`communication:channel:${channelId}:posts`).emit('communication.channel_post.created', {
      eventId: uuidv7(),
      eventType: 'communication.channel_post.created',
      occurredAt: new Date().toISOString(),
      data: {
        id: String(1_000_000_000 + seq),
        channelId,
        type: 'TEXT',
        bodyText: `${request.tag}:${issuedAt}:${seq}`,
        attachments: [],
      },
    });
    acked[seq] = issuedAt;
  });
  return { count: request.count, acked };
};
let postCounter = 0;
type ChildReply = { id: number; result: unknown };

const sign = (sub: string, role: 'user' | 'admin') =>
  jwt.sign({ sub, role }, DEV_JWT_SECRET, { algorithm: 'HS256', expiresIn: 3600 });

// ---------------------------------------------------------------- child: the server
const runChild = async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'realtime-bench-'));
  const config = loadConfig({
    NODE_ENV: 'test',
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    ...BENCH_WITHOUT_CLIENT_LIMITS,
  });
  const app = createApp(config);
  await app.start();
  const rawHttp = http.createServer();
  const raw = new Server(rawHttp, { serveClient: false });
  raw.on('connection', (socket) =>
    socket.on('join', async (room: string, ack: () => void) => {
      await socket.join(room);
      ack();
    }),
  );
  await new Promise<void>((resolve) => rawHttp.listen(0, '127.0.0.1', resolve));
  const rawUrl = `http://127.0.0.1:${(rawHttp.address() as AddressInfo).port}`;
  const handle = async (request: ChildRequest) => {
    let result: unknown;
    if (request.type === 'memory') {
      for (let i = 0; i < 3; i += 1) (global as { gc?: () => void }).gc?.();
      result = process.memoryUsage();
    } else if (request.type === 'cpu') {
      result = process.cpuUsage();
    } else if (request.type === 'append') {
      result = await appendPosts(app, request.payload as AppendRequest);
    } else if (request.type === 'rawAppend') {
      result = await emitRawPosts(raw, request.payload as AppendRequest);
    } else if (request.type === 'rawBroadcast') {
      raw.emit('communication.channel_post.created', request.payload);
    } else {
      await raw.close();
      await app.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
    process.send?.({ id: request.id, result } satisfies ChildReply);
    if (request.type === 'stop') process.exit(0);
  };
  process.on('message', (request: ChildRequest) => void handle(request));
  process.send?.({ id: 0, result: { url: app.url(), rawUrl } });
};

// ---------------------------------------------------------------- parent: the clients
const startChild = async () => {
  const child: ChildProcess = fork(__filename, [], {
    execArgv: [
      '--import',
      'tsx',
      '--expose-gc',
      ...(process.env.REALTIME_BENCH_PROFILE
        ? ['--cpu-prof', `--cpu-prof-dir=${process.env.REALTIME_BENCH_PROFILE}`]
        : []),
    ],
    env: { ...process.env, REALTIME_BENCH_CHILD: '1' },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const pending = new Map<number, (result: unknown) => void>();
  let nextId = 1;
  const ready = new Promise<{ url: string; rawUrl: string }>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`bench server exited (${code})`)));
    child.on('message', (reply: ChildReply) => {
      if (reply.id === 0) return resolve(reply.result as { url: string; rawUrl: string });
      pending.get(reply.id)?.(reply.result);
      pending.delete(reply.id);
    });
  });
  const ask = (type: ChildRequest['type'], payload?: unknown) =>
    new Promise<unknown>((resolve) => {
      const id = nextId++;
      pending.set(id, resolve);
      child.send({ id, type, payload } satisfies ChildRequest);
    });
  return { ...(await ready), ask };
};

const connectMany = async (url: string, count: number, token: (i: number) => string | undefined, tick: () => void) => {
  const sockets: Socket[] = [];
  for (let start = 0; start < count; start += CONNECT_BATCH) {
    const batch = Array.from({ length: Math.min(CONNECT_BATCH, count - start) }, (_, offset) => {
      const i = start + offset;
      const auth = token(i);
      const socket = connectClient(url, {
        transports: ['websocket'],
        forceNew: true,
        reconnection: false,
        auth: auth ? { token: auth } : {},
      });
      return new Promise<Socket>((resolve, reject) => {
        socket.once('connect', () => {
          tick();
          resolve(socket);
        });
        socket.once('connect_error', reject);
      });
    });
    sockets.push(...(await Promise.all(batch)));
  }
  return sockets;
};

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
};
const median = (values: number[]) => percentile(values, 50);

const createHttp = (url: string) => {
  const admin = sign('bench-admin', 'admin');
  const call = async (method: string, route: string, body?: unknown) => {
    const response = await fetch(`${url}${route}`, {
      method,
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (response.status >= 300) throw new Error(`${method} ${route}: ${response.status} ${await response.text()}`);
    return (await response.json()) as { data: { id: number | string } };
  };
  return {
    createChannel: async () =>
      Number(
        (
          await call('POST', '/api/admin/channels', {
            kind: 'BROADCAST',
            accessPolicy: 'OPEN',
            visibility: 'PUBLIC',
            title: 'Bench',
          })
        ).data.id,
      ),
    publish: (channelId: number, bodyText: string) =>
      call('POST', `/api/admin/channels/${channelId}/posts`, { type: 'TEXT', bodyText }),
  };
};

const joinAll = (sockets: Socket[], channelOf: (i: number) => number) =>
  Promise.all(
    sockets.map((socket, i) =>
      socket.timeout(30_000).emitWithAck('communication:join_channel_posts', { channelId: channelOf(i) }),
    ),
  );

/** Resolves when every socket has received an event whose body matches `tag`; returns that instant. */
const allReceive = (sockets: Socket[], tag: string) =>
  new Promise<number>((resolve) => {
    let left = sockets.length;
    for (const socket of sockets) {
      const listener = (event: string, envelope: { data: { bodyText?: string } }) => {
        if (envelope?.data?.bodyText !== tag) return;
        socket.offAny(listener);
        left -= 1;
        if (left === 0) resolve(performance.now());
      };
      socket.onAny(listener);
    }
  });

/**
 * Latency subscribers live in CLIENT_PROCESSES forked processes (not in this one), each
 * with its share of the sockets, so how the client side is spread is a parameter.
 */
type ClientMessage =
  | { type: 'connect'; url: string; subscribers: number[]; channels: number[]; raw: boolean }
  | { type: 'status' | 'collect' | 'stop' };
type ClientRequest = ClientMessage & { id: number };
type ClientStatus = { received: number; cpu: NodeJS.CpuUsage };
/** One entry per delivery: the post's sequence number, when it was issued and when it arrived. */
type ClientDeliveries = { seq: number[]; issuedAt: number[]; receivedAt: number[] };

const runClients = () => {
  const sockets: Socket[] = [];
  const deliveries: ClientDeliveries = { seq: [], issuedAt: [], receivedAt: [] };
  const handle = async (request: ClientRequest) => {
    let result: unknown;
    if (request.type === 'connect') {
      const { url, subscribers, channels, raw } = request;
      const token = (i: number) => (raw ? undefined : sign(`latency-${subscribers[i]}`, 'user'));
      sockets.push(...(await connectMany(url, subscribers.length, token, () => {})));
      await Promise.all(
        sockets.map((socket, i) => {
          const channelId = channels[subscribers[i] % channels.length];
          return raw
            ? socket.timeout(30_000).emitWithAck('join', `communication:channel:${channelId}:posts`)
            : socket.timeout(30_000).emitWithAck('communication:join_channel_posts', { channelId });
        }),
      );
      for (const socket of sockets) {
        socket.onAny((_event: string, envelope: { data: { bodyText?: string } }) => {
          const receivedAt = wallNow();
          const [tag, issuedAt, seq] = (envelope?.data?.bodyText ?? '').split(':');
          if (tag !== 'latency') return;
          deliveries.seq.push(Number(seq));
          deliveries.issuedAt.push(Number(issuedAt));
          deliveries.receivedAt.push(receivedAt);
        });
      }
    } else if (request.type === 'status') {
      result = { received: deliveries.seq.length, cpu: process.cpuUsage() } satisfies ClientStatus;
    } else if (request.type === 'collect') {
      result = deliveries;
    } else {
      sockets.forEach((socket) => socket.disconnect());
    }
    process.send?.({ id: request.id, result } satisfies ChildReply);
    if (request.type === 'stop') process.exit(0);
  };
  process.on('message', (request: ClientRequest) => void handle(request));
  process.send?.({ id: 0, result: null });
};

const startClients = async () => {
  const child: ChildProcess = fork(__filename, [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, REALTIME_BENCH_CHILD: 'clients' },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const pending = new Map<number, (result: unknown) => void>();
  let nextId = 1;
  await new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`bench clients exited (${code})`)));
    child.on('message', (reply: ChildReply) => {
      if (reply.id === 0) return resolve();
      pending.get(reply.id)?.(reply.result);
      pending.delete(reply.id);
    });
  });
  return <Result>(request: ClientMessage) =>
    new Promise<Result>((resolve) => {
      const id = nextId++;
      pending.set(id, resolve as (result: unknown) => void);
      child.send({ ...request, id } satisfies ClientRequest);
    });
};

/** CPU time of each process over the measurement (append start → last delivery), beside its wall time. */
type LatencyRun = {
  fromIssue: number[];
  fromAck: number[];
  elapsedMs: number;
  serverCpuMs: number;
  clientCpuMs: number;
};

const cpuMs = (usage: NodeJS.CpuUsage) => (usage.user + usage.system) / 1000;

const measureLatency = async (
  target: { url: string; raw: boolean; channels: number[] },
  ask: (type: ChildRequest['type'], payload?: unknown) => Promise<unknown>,
  progress: BenchProgress,
): Promise<LatencyRun> => {
  const { url, raw, channels } = target;
  const clients = await Promise.all(Array.from({ length: CLIENT_PROCESSES }, () => startClients()));
  const tick = progress.phase(`latency: connect subscribers (${CLIENT_PROCESSES} client processes)`, CLIENT_PROCESSES);
  await Promise.all(
    clients.map(async (client, k) => {
      const subscribers = Array.from({ length: SUBSCRIBERS }, (_, i) => i).filter((i) => i % CLIENT_PROCESSES === k);
      await client({ type: 'connect', url, subscribers, channels, raw });
      tick();
    }),
  );
  const statuses = () => Promise.all(clients.map((client) => client<ClientStatus>({ type: 'status' })));
  const total = RATE * LATENCY_SECONDS;
  progress.log(
    `latency${raw ? ' (raw Socket.io)' : ''}: ${raw ? 'emitting' : 'appending'} ${total} posts at ${RATE}/s over ${LATENCY_CHANNELS} channels`,
  );
  const serverCpuBefore = (await ask('cpu')) as NodeJS.CpuUsage;
  const clientCpuBefore = await statuses();
  const began = performance.now();
  const request: AppendRequest = { channelIds: channels, count: total, rate: RATE, tag: 'latency' };
  const { acked } = (await ask(raw ? 'rawAppend' : 'append', request)) as AppendReply;
  const expected = total * (SUBSCRIBERS / LATENCY_CHANNELS);
  let after = await statuses();
  for (
    let waited = 0;
    after.reduce((sum, status) => sum + status.received, 0) < expected && waited < 10_000;
    waited += 50
  ) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    after = await statuses();
  }
  const elapsedMs = performance.now() - began;
  const serverCpuMs = cpuMs((await ask('cpu')) as NodeJS.CpuUsage) - cpuMs(serverCpuBefore);
  const clientCpuMs = after.reduce((sum, status, k) => sum + cpuMs(status.cpu) - cpuMs(clientCpuBefore[k].cpu), 0);
  const fromIssue: number[] = [];
  const fromAck: number[] = [];
  for (const client of clients) {
    const deliveries = await client<ClientDeliveries>({ type: 'collect' });
    deliveries.seq.forEach((seq, i) => {
      fromIssue.push(deliveries.receivedAt[i] - deliveries.issuedAt[i]);
      fromAck.push(deliveries.receivedAt[i] - acked[seq]);
    });
    await client({ type: 'stop' });
  }
  if (fromIssue.length < expected) throw new Error(`Only ${fromIssue.length} of ${expected} deliveries arrived`);
  return { fromIssue, fromAck, elapsedMs, serverCpuMs, clientCpuMs };
};

/**
 * The gateway's run, then the raw Socket.io baseline at the same pace into the same rooms,
 * alternated over LATENCY_ROUNDS rounds so a machine that changes speed during the run weighs
 * on both alike; the figures are the rounds' median p99s (the gateway's details from its median round).
 */
const measureLatencyWithBaseline = async (
  url: string,
  rawUrl: string,
  ask: (type: ChildRequest['type'], payload?: unknown) => Promise<unknown>,
  progress: BenchProgress,
): Promise<BenchResult> => {
  const http = createHttp(url);
  const channels = await Promise.all(Array.from({ length: LATENCY_CHANNELS }, () => http.createChannel()));
  const gateway: LatencyRun[] = [];
  const raw: number[] = [];
  for (let round = 1; round <= LATENCY_ROUNDS; round++) {
    progress.log(`latency round ${round}/${LATENCY_ROUNDS}`);
    gateway.push(await measureLatency({ url, raw: false, channels }, ask, progress));
    raw.push(percentile((await measureLatency({ url: rawUrl, raw: true, channels }, ask, progress)).fromIssue, 99));
  }
  const p99s = gateway.map((run) => percentile(run.fromIssue, 99));
  const medianRound = gateway[p99s.indexOf(median(p99s))];
  const rawP99 = median(raw);
  const rounds = p99s.map((p99, index) => `${p99.toFixed(1)}/${raw[index].toFixed(1)}`).join(', ');
  const result = latencyResult(medianRound, rawP99);
  return { ...result, notes: `rounds (p99 ms, ours/raw): ${rounds}; ${result.notes}` };
};

const latencyResult = (
  { fromIssue: latencies, fromAck, elapsedMs, serverCpuMs, clientCpuMs }: LatencyRun,
  rawP99: number,
): BenchResult => {
  const p99 = percentile(latencies, 99);
  return {
    name: `end-to-end latency p99, ${SUBSCRIBERS} subscribers, ${RATE} posts/s (${(RATE * SUBSCRIBERS) / LATENCY_CHANNELS} deliveries/s)`,
    value: p99,
    unit: 'ms',
    baseline: { name: 'raw Socket.io: same envelopes, pace and rooms, no event store (p99 ms)', value: rawP99 },
    // Latency: the ratio is ours over raw (lower is better), the issue's target 1.5x raw in the same run.
    ratio: p99 / rawP99,
    target: '<= 1.5x raw p99, same run',
    met: p99 <= 1.5 * rawP99,
    notes: `PostPublished append issued (event store port, in the server) → envelope received by the client; ${LATENCY_CHANNELS} channels × ${SUBSCRIBERS / LATENCY_CHANNELS} subscribers, ${latencies.length} deliveries; p50 ${percentile(latencies, 50).toFixed(1)} ms, p90 ${percentile(latencies, 90).toFixed(1)} ms, max ${Math.max(...latencies).toFixed(1)} ms; from the append's acknowledgement (commit): p50 ${percentile(fromAck, 50).toFixed(1)} ms, p99 ${percentile(fromAck, 99).toFixed(1)} ms; clients in ${CLIENT_PROCESSES} process(es); CPU over ${(elapsedMs / 1000).toFixed(1)} s: server ${Math.round(serverCpuMs)} ms (${((100 * serverCpuMs) / elapsedMs).toFixed(0)}% of a core), clients ${Math.round(clientCpuMs)} ms (${((100 * clientCpuMs) / elapsedMs).toFixed(0)}%)`,
  };
};

export const bench: BenchDefinition = {
  name: 'realtime gateway',
  run: async (progress) => {
    const child = await startChild();
    const results: BenchResult[] = [];
    const record = (result: BenchResult) => {
      results.push(result);
      progress.log(
        `${result.name}: ${result.value.toFixed(2)} ${result.unit}${result.ratio ? ` (ratio ${result.ratio.toFixed(2)})` : ''}`,
      );
    };
    try {
      if (ONLY === 'latency') {
        record(await measureLatencyWithBaseline(child.url, child.rawUrl, child.ask, progress));
        return results;
      }
      const http = createHttp(child.url);
      const memoryOf = async () => {
        const usage = (await child.ask('memory')) as NodeJS.MemoryUsage;
        return { heap: usage.heapUsed + usage.external, rss: usage.rss };
      };

      // Memory per idle authenticated socket, then fan-out on the same sockets.
      const fanoutChannel = await http.createChannel();
      const before = await memoryOf();
      const sockets = await connectMany(
        child.url,
        FANOUT,
        (i) => sign(`fan-${i}`, 'user'),
        progress.phase('fan-out: connect gateway sockets', FANOUT),
      );
      await joinAll(sockets, () => fanoutChannel);
      const after = await memoryOf();
      const perSocketKb = (after.heap - before.heap) / FANOUT / 1024;
      const rssPerSocketKb = (after.rss - before.rss) / FANOUT / 1024;
      record({
        name: 'memory per idle authenticated socket (joined to one room)',
        value: perSocketKb,
        unit: 'KB',
        target: '<= 20 KB',
        met: perSocketKb <= 20,
        notes: `server heap+external after GC over ${FANOUT} sockets; RSS grew ${rssPerSocketKb.toFixed(1)} KB/socket`,
      });

      const gatewayTimes: number[] = [];
      const fanTick = progress.phase('fan-out: gateway posts', FANOUT_ROUNDS);
      let lastEnvelope: unknown;
      sockets[0].onAny((_event: string, envelope: unknown) => {
        lastEnvelope = envelope;
      });
      for (let round = 0; round < FANOUT_ROUNDS; round += 1) {
        const tag = `fanout-${round}`;
        const received = allReceive(sockets, tag);
        const start = performance.now();
        await http.publish(fanoutChannel, tag);
        gatewayTimes.push((await received) - start);
        fanTick();
      }
      sockets.forEach((socket) => socket.disconnect());

      const rawSockets = await connectMany(
        child.rawUrl,
        FANOUT,
        () => undefined,
        progress.phase('fan-out: connect raw sockets', FANOUT),
      );
      const rawTimes: number[] = [];
      const rawTick = progress.phase('fan-out: raw io.emit', FANOUT_ROUNDS);
      for (let round = 0; round < FANOUT_ROUNDS; round += 1) {
        const tag = `fanout-raw-${round}`;
        const envelope = {
          ...(lastEnvelope as object),
          data: { ...(lastEnvelope as { data: object }).data, bodyText: tag },
        };
        const received = allReceive(rawSockets, tag);
        const start = performance.now();
        await child.ask('rawBroadcast', envelope);
        rawTimes.push((await received) - start);
        rawTick();
      }
      rawSockets.forEach((socket) => socket.disconnect());
      const gatewayRate = FANOUT / (median(gatewayTimes) / 1000);
      const rawRate = FANOUT / (median(rawTimes) / 1000);
      record({
        name: `one post to ${FANOUT.toLocaleString('en-US')} sockets`,
        value: gatewayRate,
        unit: 'deliveries/s',
        baseline: { name: 'raw Socket.io io.emit', value: rawRate },
        ratio: gatewayRate / rawRate,
        target: '>= 0.8 of raw',
        met: gatewayRate / rawRate >= 0.8,
        notes: `median of ${FANOUT_ROUNDS}: gateway ${median(gatewayTimes).toFixed(1)} ms (HTTP command sent → last socket), raw ${median(rawTimes).toFixed(1)} ms`,
      });

      record(await measureLatencyWithBaseline(child.url, child.rawUrl, child.ask, progress));

      // Sync of 1,000 missed events.
      const syncChannel = await http.createChannel();
      const [reader] = await connectMany(
        child.url,
        1,
        () => sign('sync-reader', 'user'),
        () => {},
      );
      const start = (await reader.emitWithAck('communication:sync_channel_posts', { channelId: syncChannel })) as {
        data: { lastEventId: string };
      };
      await child.ask('append', {
        channelIds: [syncChannel],
        count: SYNC_EVENTS,
        rate: 5000,
        tag: 'missed',
      } satisfies AppendRequest);
      const syncTimes: number[] = [];
      for (let round = 0; round < SYNC_ROUNDS; round += 1) {
        const begin = performance.now();
        const ack = (await reader.emitWithAck('communication:sync_channel_posts', {
          channelId: syncChannel,
          sinceEventId: start.data.lastEventId,
          limit: SYNC_EVENTS,
        })) as { ok: boolean; data: { events: unknown[] } };
        syncTimes.push(performance.now() - begin);
        if (!ack.ok || ack.data.events.length !== SYNC_EVENTS)
          throw new Error(`sync returned ${JSON.stringify(ack).slice(0, 200)}`);
      }
      reader.disconnect();
      record({
        name: `sync of ${SYNC_EVENTS} missed events`,
        value: median(syncTimes),
        unit: 'ms',
        notes: `median of ${SYNC_ROUNDS} sync_channel_posts acks (limit ${SYNC_EVENTS}), socket round trip included`,
      });
    } finally {
      await child.ask('stop');
    }
    return results;
  },
};

if (process.env.REALTIME_BENCH_CHILD === '1') {
  runChild().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
} else if (process.env.REALTIME_BENCH_CHILD === 'clients') {
  runClients();
}
