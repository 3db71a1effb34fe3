import fs from 'node:fs';
import path from 'node:path';
import { createSqliteEventStore } from '../src/eventStore/sqlite';
import { createLogger } from '../src/logger';
import { allProjections } from '../src/projections/allProjections';
import { createProjections } from '../src/projections/projections';
import { createSqliteReadModelStore } from '../src/readModels/sqlite';
import { writeBenchEventLog } from './benchEventLog';
import type { BenchDefinition, BenchResult } from './benchTypes';

/**
 * Full rebuild of every read model from an event log of EVENTS events: all projections
 * from position 0 into a fresh SQLite read-model file, as a cold start or a rebuild
 * does. Baseline: reading the whole log through the same event store port (readAll
 * pages), i.e. the floor no projection can beat.
 */
const EVENTS = Number(process.env.BENCH_REBUILD_EVENTS ?? 200_000);
const TARGET = 50_000;
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
      const readRate = perSecond(read, readStarted);

      const readModels = createSqliteReadModelStore({ path: path.join(workDir, 'readmodels.sqlite') });
      const rebuildTick = progress.phase(
        `rebuild: ${allProjections.length} projections`,
        shape.total * allProjections.length,
      );
      const projections = createProjections({
        eventStore,
        readModels,
        logger: createLogger('silent'),
        onApplied: (_name, count) => rebuildTick(count),
      });
      await readModels.start();
      const rebuildStarted = process.hrtime.bigint();
      await projections.start();
      await projections.caughtUp();
      const rebuildRate = perSecond(shape.total, rebuildStarted);
      const failed = projections.status().filter((status) => status.state === 'failed');
      await projections.stop();
      await readModels.close();
      await eventStore.close();
      if (failed.length > 0) throw new Error(`rebuild failed: ${failed.map((status) => status.error).join('; ')}`);
      progress.log(
        `rebuild ${Math.round(rebuildRate)} events/s (log events / wall time, all projections); readAll ${Math.round(readRate)} events/s`,
      );

      const result: BenchResult = {
        name: `full rebuild of ${allProjections.length} read models (SQLite), ${shape.total} events`,
        value: rebuildRate,
        unit: 'events/s',
        baseline: { name: 'readAll through the event store port', value: readRate },
        ratio: rebuildRate / readRate,
        target: `>= ${TARGET} events/s`,
        met: rebuildRate >= TARGET,
        notes: 'events/s = events in the log / wall time until every projection has caught up',
      };
      return [result];
    } finally {
      fs.rmSync(workDir, { recursive: true, force: true });
    }
  },
};
