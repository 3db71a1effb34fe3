import fs from 'node:fs';
import path from 'node:path';
import { createSqliteEventStore } from '../src/eventStore/sqlite';
import { createLogger } from '../src/logger';
import { rebuildProjections } from '../src/ops/rebuildProjection';
import { allProjections } from '../src/projections/allProjections';
import { createProjections } from '../src/projections/projections';
import { createSqliteReadModelStore } from '../src/readModels/sqlite';
import { writeBenchEventLog } from './benchEventLog';
import { timeRawRowWrites } from './rawRowWrites';
import type { BenchDefinition, BenchResult } from './benchTypes';

/**
 * Full rebuild of every read model from an event log of EVENTS events (SQLite), the way
 * `commctl projections rebuild` does it (`rebuildProjections`: new versions beside the
 * active ones, one read of the log, switched at the end), and the cold start of the live
 * projections on an empty read-model file (`createProjections`), each into a fresh file.
 * Baseline, in the same run: reading the whole log through the same event store port
 * (readAll pages of 1,000), the floor no projection can beat. Beside it, the floor of this
 * machine for the whole rebuild: that read, then encoding and raw inserts of the rows the
 * rebuild wrote.
 */
const EVENTS = Number(process.env.BENCH_REBUILD_EVENTS ?? 200_000);
const TARGET_RATIO = 0.5;
const workDir = path.join(__dirname, 'results', `projectionRebuild-${process.pid}.tmp`);

const perSecond = (count: number, startedAt: bigint) => (count * 1e9) / Number(process.hrtime.bigint() - startedAt);

export const bench: BenchDefinition = {
  name: 'projection rebuild',
  run: async (progress) => {
    fs.mkdirSync(workDir, { recursive: true });
    try {
      const logPath = path.join(workDir, 'events.sqlite');
      const tick = progress.phase(`writing a ${EVENTS.toLocaleString('en-US')}-event log`, EVENTS);
      const shape = writeBenchEventLog(logPath, EVENTS, tick);
      progress.log(
        `log: ${shape.total} events, ${shape.channels} channels, ${shape.posts} posts, ${shape.messages} messages`,
      );
      const eventStore = createSqliteEventStore({ path: logPath });
      const logger = createLogger('silent');

      const readTick = progress.phase('baseline: readAll through the port', shape.total);
      const readStarted = process.hrtime.bigint();
      let after: bigint | undefined;
      let read = 0;
      for (;;) {
        const page = await eventStore.readAll({ after, maxCount: 1000 });
        if (page.length === 0) break;
        read += page.length;
        readTick(page.length);
        after = page[page.length - 1].position;
      }
      const readMs = Number(process.hrtime.bigint() - readStarted) / 1e6;
      const readRate = (read * 1000) / readMs;

      const rebuildModels = createSqliteReadModelStore({ path: path.join(workDir, 'rebuild.sqlite') });
      allProjections.forEach((projection) => rebuildModels.register(projection));
      await rebuildModels.start();
      const rebuildTick = progress.phase(`projections rebuild (${allProjections.length})`, shape.total);
      let shown = 0;
      const rebuildStarted = process.hrtime.bigint();
      const outcomes = await rebuildProjections({
        eventStore,
        readModels: rebuildModels,
        projections: allProjections,
        logger,
        progress: { start: () => {}, update: (done) => (rebuildTick(done - shown), (shown = done)), stop: () => {} },
      });
      const rebuildRate = perSecond(shape.total, rebuildStarted);
      await rebuildModels.close();
      if (!outcomes.every((outcome) => outcome.activated)) throw new Error('rebuild did not switch every projection');

      progress.log('floor: encoding and raw inserts of the rows the rebuild wrote');
      const rawWrites = timeRawRowWrites(
        path.join(workDir, 'rebuild.sqlite'),
        path.join(workDir, 'floor.sqlite'),
        1000,
      );
      const floorRate = (shape.total * 1000) / (readMs + rawWrites.ms);

      const coldModels = createSqliteReadModelStore({ path: path.join(workDir, 'cold.sqlite') });
      const coldTick = progress.phase(`cold start (${allProjections.length})`, shape.total * allProjections.length);
      const projections = createProjections({
        eventStore,
        readModels: coldModels,
        logger,
        versionCheckIntervalMs: 0,
        onApplied: (_name, count) => coldTick(count),
      });
      await coldModels.start();
      const coldStarted = process.hrtime.bigint();
      await projections.start();
      await projections.caughtUp();
      const coldRate = perSecond(shape.total, coldStarted);
      const failed = projections.status().filter((status) => status.state === 'failed');
      await projections.stop();
      await coldModels.close();
      await eventStore.close();
      if (failed.length > 0) throw new Error(`cold start failed: ${failed.map((status) => status.error).join('; ')}`);
      progress.log(
        `rebuild ${Math.round(rebuildRate)} events/s, cold start ${Math.round(coldRate)} events/s, readAll ${Math.round(readRate)} events/s`,
      );

      const baseline = { name: 'readAll pages of 1,000 through the event store port', value: readRate };
      const results: BenchResult[] = [
        {
          name: `projections rebuild of ${allProjections.length} read models (SQLite, commctl's path), ${shape.total} events`,
          value: rebuildRate,
          unit: 'events/s',
          baseline,
          ratio: rebuildRate / readRate,
          target: `>= ${TARGET_RATIO} of readAll`,
          met: rebuildRate / readRate >= TARGET_RATIO,
          notes:
            'events/s = events in the log / wall time from the start of the rebuild until every new version is active',
        },
        {
          name: `projections rebuild against this machine's floor for it, ${shape.total} events`,
          value: rebuildRate,
          unit: 'events/s',
          baseline: {
            name: `readAll as above + raw better-sqlite3 inserts of the ${rawWrites.rows.toLocaleString('en-US')} rows the rebuild wrote (documents encoded)`,
            value: floorRate,
          },
          ratio: rebuildRate / floorRate,
          notes: `the floor is ${(floorRate / readRate).toFixed(2)} of readAll (encoding and raw inserts ${Math.round(rawWrites.ms)} ms, readAll ${Math.round(readMs)} ms): no projection work, 1,000 rows a transaction; a rebuild reaches ${TARGET_RATIO} of readAll only where this floor is above it`,
        },
        {
          name: `cold start of the ${allProjections.length} live projections on an empty read-model file, ${shape.total} events`,
          value: coldRate,
          unit: 'events/s',
          baseline,
          ratio: coldRate / readRate,
          notes: 'events/s = events in the log / wall time until every projection has caught up',
        },
      ];
      return results;
    } finally {
      fs.rmSync(workDir, { recursive: true, force: true });
    }
  },
};
