import fs from 'node:fs';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import { createSqliteReadModelStore } from '../src/readModels/sqlite';
import type { BenchDefinition, BenchProgress } from './benchTypes';

/**
 * Steady read-model writes, as projections make them under load: a batch of DOCS_PER_BATCH
 * documents of 1 KB every PAUSE_MS for SECONDS, through the SQLite read-model store, and the
 * longest event-loop task and stall it causes. Baseline, in the same run: raw better-sqlite3
 * writing the same rows at the same pace with the same pragmas and SQLite's own autocheckpoint
 * at 10,000 pages (what the store did before its checkpoints moved to a thread), so its
 * commits copy the WAL into the file and sync it on the main thread.
 */
const SECONDS = Number(process.env.BENCH_STALLS_SECONDS ?? 15);
const DOCS_PER_BATCH = 200;
const PAUSE_MS = 15;
const TEXT = 'n'.repeat(1000);
const workDir = path.join(__dirname, 'results', `readModelStalls-${process.pid}.tmp`);

type Outcome = { batches: number; longestBatchMs: number; stallP999Ms: number; stallMaxMs: number };

/** Runs `batch` at the pace for SECONDS, timing each and the event loop's delays meanwhile. */
const atPace = async (label: string, progress: BenchProgress, batch: (first: number) => Promise<void> | void) => {
  const tick = progress.phase(label, SECONDS);
  const delay = monitorEventLoopDelay({ resolution: 2 });
  delay.enable();
  const startedAt = Date.now();
  let batches = 0;
  let longest = 0;
  let shown = 0;
  while (Date.now() - startedAt < SECONDS * 1000) {
    const before = process.hrtime.bigint();
    await batch(batches * DOCS_PER_BATCH);
    longest = Math.max(longest, Number(process.hrtime.bigint() - before) / 1e6);
    batches += 1;
    const elapsed = Math.floor((Date.now() - startedAt) / 1000);
    if (elapsed > shown) {
      tick(elapsed - shown);
      shown = elapsed;
    }
    await new Promise((resolve) => setTimeout(resolve, PAUSE_MS));
  }
  delay.disable();
  return { batches, longestBatchMs: longest, stallP999Ms: delay.percentile(99.9) / 1e6, stallMaxMs: delay.max / 1e6 };
};

const throughStore = async (progress: BenchProgress): Promise<Outcome> => {
  const store = createSqliteReadModelStore({ path: path.join(workDir, 'store.sqlite'), versionCacheMs: 0 });
  store.register({ name: 'notes', collections: [{ name: 'notes', indexes: [['group']] }] });
  await store.start();
  try {
    return await atPace('read-model store', progress, (first) =>
      store.applyBatch('notes', 1, BigInt(first + DOCS_PER_BATCH), async (writer) => {
        for (let index = first; index < first + DOCS_PER_BATCH; index++) {
          await writer.put('notes', `n-${index}`, { text: TEXT, group: index % 10 }, BigInt(index + 1));
        }
      }),
    );
  } finally {
    await store.close();
  }
};

const raw = async (progress: BenchProgress): Promise<Outcome> => {
  const db = new Database(path.join(workDir, 'raw.sqlite'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('cache_size = -65536');
  db.pragma('wal_autocheckpoint = 10000');
  db.exec('CREATE TABLE notes (key TEXT PRIMARY KEY, doc TEXT NOT NULL, position INTEGER NOT NULL, f_group)');
  db.exec('CREATE INDEX notes_group ON notes (f_group)');
  const put = db.prepare('INSERT INTO notes (key, doc, position, f_group) VALUES (?, ?, ?, ?)');
  const write = db.transaction((first: number) => {
    for (let index = first; index < first + DOCS_PER_BATCH; index++) {
      const doc = { text: TEXT, group: index % 10 };
      put.run(`n-${index}`, JSON.stringify(doc), index + 1, doc.group);
    }
  });
  try {
    return await atPace('raw better-sqlite3, autocheckpoint', progress, (first) => write.immediate(first));
  } finally {
    db.close();
  }
};

const describe = (outcome: Outcome) =>
  `${outcome.batches} batches, longest ${outcome.longestBatchMs.toFixed(0)} ms, event-loop delay p99.9 ${outcome.stallP999Ms.toFixed(1)} ms, max ${outcome.stallMaxMs.toFixed(0)} ms`;

export const bench: BenchDefinition = {
  name: 'read-model writes and the event loop',
  run: async (progress) => {
    fs.mkdirSync(workDir, { recursive: true });
    try {
      const ours = await throughStore(progress);
      const baseline = await raw(progress);
      progress.log(`store: ${describe(ours)}; raw: ${describe(baseline)}`);
      const pace = `${DOCS_PER_BATCH} documents of 1 KB every ${PAUSE_MS} ms for ${SECONDS} s`;
      return [
        {
          name: `longest read-model batch (event-loop task), ${pace}`,
          value: ours.longestBatchMs,
          unit: 'ms',
          baseline: {
            name: 'raw better-sqlite3, same rows and pace, autocheckpoint on the main thread',
            value: baseline.longestBatchMs,
          },
          ratio: ours.longestBatchMs / baseline.longestBatchMs,
          notes: `store: ${describe(ours)}; raw: ${describe(baseline)}`,
        },
      ];
    } finally {
      fs.rmSync(workDir, { recursive: true, force: true });
    }
  },
};
