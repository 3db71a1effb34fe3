import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { createSqliteEventStore } from '../src/eventStore/sqlite';
import { exportEvents, type ExportFormat } from '../src/history/exportEvents';
import { createLogger } from '../src/logger';
import { rebuildProjections } from '../src/ops/rebuildProjection';
import { allProjections } from '../src/projections/allProjections';
import { createSqliteReadModelStore } from '../src/readModels/sqlite';
import { writeBenchEventLog } from './benchEventLog';
import type { BenchDefinition, BenchResult } from './benchTypes';

/**
 * Analysts and operators on a log of EVENTS events (SQLite):
 * - `history export` of the whole log (NDJSON and CSV, to a sink that discards) beside
 *   raw `readAll` paging through the same port: what formatting and streaming cost.
 * - `projections rebuild` of every read model (`rebuildProjections`, as commctl runs it) while
 *   a separate "service" process runs the live projections and appends LOAD_RATE events/s
 *   through the port, beside the same rebuild with no load, in the same run.
 */
const EVENTS = Number(process.env.BENCH_HISTORY_EVENTS ?? 100_000);
const LOAD_RATE = Number(process.env.BENCH_HISTORY_LOAD_RATE ?? 500);
const EXPORT_TARGET_RATIO = 0.5;
const REBUILD_TARGET_RATIO = 0.6;
const workDir = path.join(__dirname, 'results', `history-${process.pid}.tmp`);
const root = path.resolve(__dirname, '..');

const perSecond = (count: number, startedAt: bigint) => (count * 1e9) / Number(process.hrtime.bigint() - startedAt);

const discard = () => {
  let bytes = 0;
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      bytes += chunk.length;
      callback();
    },
  });
  return { sink, bytes: () => bytes };
};

/**
 * The service under load, in its own process as in production: runs every projection's
 * active version and appends ChannelCreated + PostPublished pairs at `rate` events/s.
 * Prints "ready" once caught up and "written <n>" when told to stop.
 */
const serviceScript = (dir: string, rate: number) => `
const path = require('node:path');
const { v7 } = require('uuid');
const { createSqliteEventStore } = require(${JSON.stringify(path.join(root, 'src/eventStore/sqlite'))});
const { createSqliteReadModelStore } = require(${JSON.stringify(path.join(root, 'src/readModels/sqlite'))});
const { createProjections } = require(${JSON.stringify(path.join(root, 'src/projections/projections'))});
const { createLogger } = require(${JSON.stringify(path.join(root, 'src/logger'))});
(async () => {
  const eventStore = createSqliteEventStore({ path: path.join(${JSON.stringify(dir)}, 'events.sqlite') });
  const readModels = createSqliteReadModelStore({ path: path.join(${JSON.stringify(dir)}, 'readmodels.sqlite') });
  const projections = createProjections({ eventStore, readModels, logger: createLogger('silent') });
  await readModels.start();
  await projections.start();
  await projections.caughtUp();
  let written = 0;
  let stopping = false;
  process.on('SIGTERM', async () => { stopping = true; });
  console.log('ready');
  const meta = () => { const id = v7(); return { actor: { type: 'admin', id: 'bench' }, correlationId: id, causationId: id }; };
  const started = Date.now();
  for (let n = 1; !stopping; n++) {
    const channelId = 1_000_000 + n;
    const at = new Date().toISOString();
    await eventStore.appendToStream('channel-' + channelId, [
      { id: v7(), type: 'ChannelCreated', metadata: meta(), data: { channelId, kind: 'BROADCAST', accessPolicy: 'OPEN', visibility: 'PUBLIC', status: 'ACTIVE', title: 'Load ' + n, description: null, entitlementKey: null, createdByAdminId: 'bench', createdAt: at } },
      { id: v7(), type: 'PostPublished', metadata: meta(), data: { postId: n, channelId, type: 'TEXT', bodyText: 'load', linkUrl: null, chartPayloadJson: null, attachments: [], createdByAdminId: 'bench', publishedAt: at } },
    ], { expectedRevision: 'no_stream' });
    written += 2;
    const due = started + (written / ${rate}) * 1000;
    if (due > Date.now()) await new Promise((resolve) => setTimeout(resolve, due - Date.now()));
  }
  await projections.stop();
  console.log('written ' + written + ' in ' + ((Date.now() - started) / 1000).toFixed(1) + 's');
  await readModels.close();
  await eventStore.close();
})().catch((error) => { console.error(error); process.exit(1); });
`;

const startService = (dir: string, rate: number): Promise<{ child: ChildProcess; stop: () => Promise<string> }> =>
  new Promise((resolve, reject) => {
    const child = spawn(path.join(root, 'node_modules/.bin/tsx'), ['-e', serviceScript(dir, rate)], { cwd: root });
    let output = '';
    child.stderr.on('data', (chunk: Buffer) => process.stderr.write(chunk));
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('ready\n')) {
        resolve({
          child,
          stop: () =>
            new Promise((done) => {
              child.once('close', () => done(output));
              child.kill('SIGTERM');
            }),
        });
      }
    });
    child.once('close', (code) => reject(new Error(`service exited with ${code} before it was ready`)));
  });

export const bench: BenchDefinition = {
  name: 'history export and rebuild under load',
  run: async (progress) => {
    fs.mkdirSync(workDir, { recursive: true });
    try {
      const logPath = path.join(workDir, 'events.sqlite');
      const shape = writeBenchEventLog(
        logPath,
        EVENTS,
        progress.phase(`writing a ${EVENTS.toLocaleString('en-US')}-event log`, EVENTS),
      );
      const eventStore = createSqliteEventStore({ path: logPath });
      const results: BenchResult[] = [];

      const readTick = progress.phase('baseline: readAll pages through the port', shape.total);
      const readStarted = process.hrtime.bigint();
      let after: bigint | undefined;
      for (;;) {
        const page = await eventStore.readAll({ after, maxCount: 1000 });
        if (page.length === 0) break;
        readTick(page.length);
        after = page[page.length - 1].position;
      }
      const readRate = perSecond(shape.total, readStarted);

      for (const format of ['ndjson', 'csv'] as ExportFormat[]) {
        const tick = progress.phase(`history export --format ${format}`, shape.total);
        let done = 0;
        const { sink, bytes } = discard();
        const started = process.hrtime.bigint();
        const { exported } = await exportEvents(
          eventStore,
          { source: { kind: 'log' } },
          {
            format,
            out: sink,
            progress: { start: () => {}, update: (value) => (tick(value - done), (done = value)), stop: () => {} },
          },
        );
        const rate = perSecond(exported, started);
        results.push({
          name: `history export of the whole log as ${format.toUpperCase()} (${exported} events, ${(bytes() / 1e6).toFixed(0)} MB)`,
          value: rate,
          unit: 'events/s',
          baseline: { name: 'readAll pages through the port', value: readRate },
          ratio: rate / readRate,
          target: `>= ${EXPORT_TARGET_RATIO} of raw readAll`,
          met: rate / readRate >= EXPORT_TARGET_RATIO,
        });
      }

      // The same rebuild twice, every projection from position 0 into new versions: first with
      // nothing else running, then while the service (its own process) appends and projects.
      const logger = createLogger('silent');
      const readModelsPath = path.join(workDir, 'readmodels.sqlite');
      const rebuildAll = async (label: string) => {
        const readModels = createSqliteReadModelStore({ path: readModelsPath });
        allProjections.forEach((projection) => readModels.register(projection));
        await readModels.start();
        const headBefore = Number((await eventStore.headPosition()) ?? 0n);
        const tick = progress.phase(label, headBefore);
        let shown = 0;
        const started = process.hrtime.bigint();
        const outcomes = await rebuildProjections({
          eventStore,
          readModels,
          projections: allProjections,
          logger,
          progress: {
            start: () => {},
            update: (done) => {
              const capped = Math.min(done, headBefore);
              tick(Math.max(0, capped - shown));
              shown = Math.max(shown, capped);
            },
            stop: () => {},
          },
        });
        const rate = perSecond(headBefore, started);
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        await readModels.close();
        if (!outcomes.every((outcome) => outcome.activated)) throw new Error(`${label}: not every version switched`);
        const caughtUpTo = outcomes[0].caughtUpTo ?? 0n;
        return { rate, seconds, headBefore, caughtUpTo };
      };

      const unloaded = await rebuildAll(`projections rebuild (${allProjections.length}), no load`);
      progress.log(`starting the service (live projections + ${LOAD_RATE} events/s of appends) in its own process`);
      const service = await startService(workDir, LOAD_RATE);
      const loaded = await rebuildAll(`projections rebuild (${allProjections.length}) under load`);
      const appended = Number((await eventStore.headPosition()) ?? 0n) - loaded.headBefore;
      await service.stop();
      const serviceReport = `appended ${appended} events in ${loaded.seconds.toFixed(1)}s (${Math.round(appended / loaded.seconds)}/s) while applying them to the live versions`;
      await eventStore.close();
      progress.log(
        `service: ${serviceReport}; the rebuild caught up to position ${loaded.caughtUpTo} (head was ${loaded.headBefore} at start)`,
      );
      results.push({
        name: `projections rebuild of ${allProjections.length} read models under ${LOAD_RATE} events/s of writes (${loaded.headBefore} events)`,
        value: loaded.rate,
        unit: 'events/s',
        baseline: { name: 'the same rebuild with no load, same run', value: unloaded.rate },
        ratio: loaded.rate / unloaded.rate,
        target: `>= ${REBUILD_TARGET_RATIO} of the rebuild with no load`,
        met: loaded.rate / unloaded.rate >= REBUILD_TARGET_RATIO,
        notes: `events/s = log events at start / wall time until every new version switched; load: a child process running the live projections and appending through the event store port; ${serviceReport}`,
      });
      return results;
    } finally {
      fs.rmSync(workDir, { recursive: true, force: true });
    }
  },
};
