import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { v7 as uuidv7 } from 'uuid';
import type { NewEvent } from '../src/eventStore/eventStore';
import { EVENTS_SCHEMA, createSqliteEventStore } from '../src/eventStore/sqlite';
import type { BenchDefinition, BenchProgress, BenchResult } from './benchTypes';
import { openRawWorkerInserts } from './rawWorkerInserts';

/**
 * Durable appends/s through the event store port (SQLite, WAL, synchronous=FULL) beside
 * raw better-sqlite3 inserts of the same rows into the same table with the same pragmas,
 * one transaction per append, in the same run. Each workload runs ROUNDS times,
 * alternating port and raw, and the median counts (the machine is shared). A sequential
 * workload is also measured against the same raw inserts on a worker thread, one round trip
 * per append: what keeping the fsync off the main thread costs before any code of ours.
 */
const ROUNDS = 3;
const SINGLE_APPENDS = 3000;
const CONCURRENT_WRITERS = 32;
const CONCURRENT_APPENDS_PER_WRITER = 150;
const BATCHES = 600;
const BATCH_SIZE = 10;
const TARGET_RATE = 5000;
const TARGET_RATIO = 0.6;

const workDir = path.join(__dirname, 'results', `eventStoreAppend-${process.pid}.tmp`);

const newEvent = (index: number): NewEvent => {
  const id = uuidv7();
  return {
    id,
    type: 'PostPublished',
    data: { channelId: 1, postId: index, text: 'Hello subscribers, here is today’s update.', media: [] },
    metadata: { actor: { type: 'admin', id: 'admin-1' }, correlationId: id, causationId: id },
  };
};

let fileCounter = 0;
const freshFile = () => path.join(workDir, `events-${(fileCounter += 1)}.sqlite`);

const openRaw = () => {
  const db = new Database(freshFile());
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec(EVENTS_SCHEMA);
  const insert = db.prepare(
    `INSERT INTO events (event_id, stream_name, revision, type, data, metadata, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
  );
  const append = db.transaction((stream: string, firstRevision: number, events: NewEvent[]) => {
    const recordedAt = new Date().toISOString();
    events.forEach((event, offset) =>
      insert.run(
        event.id,
        stream,
        firstRevision + offset,
        event.type,
        JSON.stringify(event.data),
        JSON.stringify(event.metadata),
        recordedAt,
      ),
    );
  });
  return { append, close: () => db.close() };
};

type Workload = { label: string; appends: number; eventsPerAppend: number; writers: number };

const perSecond = (count: number, startedAt: bigint) => (count * 1e9) / Number(process.hrtime.bigint() - startedAt);

/** Appends/s through the port; each writer owns a stream and awaits each append before the next. */
const measurePort = async (workload: Workload, tick: (n?: number) => void): Promise<number> => {
  const store = createSqliteEventStore({ path: freshFile() });
  const perWriter = workload.appends / workload.writers;
  const startedAt = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: workload.writers }, async (_, writer) => {
      for (let index = 0; index < perWriter; index += 1) {
        const events = Array.from({ length: workload.eventsPerAppend }, (__, offset) => newEvent(index * 10 + offset));
        await store.appendToStream(`channel-${writer}`, events, {
          expectedRevision: index === 0 ? 'no_stream' : BigInt(index * workload.eventsPerAppend - 1),
        });
        tick();
      }
    }),
  );
  const rate = perSecond(workload.appends, startedAt);
  await store.close();
  return rate;
};

/** Raw transactions/s: one durable transaction per append, the same rows, no port in the way. */
const measureRaw = (workload: Workload, tick: (n?: number) => void): number => {
  const raw = openRaw();
  const startedAt = process.hrtime.bigint();
  for (let index = 0; index < workload.appends; index += 1) {
    const events = Array.from({ length: workload.eventsPerAppend }, (__, offset) => newEvent(index * 10 + offset));
    raw.append('channel-0', index * workload.eventsPerAppend, events);
    tick();
  }
  const rate = perSecond(workload.appends, startedAt);
  raw.close();
  return rate;
};

/** The raw transactions behind one thread hop each (`rawWorkerInserts`); sequential workloads only. */
const measureRawInWorker = async (workload: Workload, tick: (n?: number) => void): Promise<number> => {
  const raw = await openRawWorkerInserts(freshFile());
  const startedAt = process.hrtime.bigint();
  for (let index = 0; index < workload.appends; index += 1) {
    const recordedAt = new Date().toISOString();
    const rows = Array.from({ length: workload.eventsPerAppend }, (__, offset) => {
      const event = newEvent(index * 10 + offset);
      const revision = index * workload.eventsPerAppend + offset;
      const { id, type, data, metadata } = event;
      return [id, 'channel-0', revision, type, JSON.stringify(data), JSON.stringify(metadata), recordedAt];
    });
    await raw.insert(rows);
    tick();
  }
  const rate = perSecond(workload.appends, startedAt);
  await raw.close();
  return rate;
};

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

const compare = async (workload: Workload, progress: BenchProgress): Promise<BenchResult[]> => {
  const port: number[] = [];
  const raw: number[] = [];
  const rawInWorker: number[] = [];
  const sequential = workload.writers === 1;
  for (let round = 1; round <= ROUNDS; round += 1) {
    port.push(
      await measurePort(workload, progress.phase(`${workload.label} · port · round ${round}`, workload.appends)),
    );
    raw.push(measureRaw(workload, progress.phase(`${workload.label} · raw · round ${round}`, workload.appends)));
    if (!sequential) continue;
    const tick = progress.phase(`${workload.label} · raw on a thread · round ${round}`, workload.appends);
    rawInWorker.push(await measureRawInWorker(workload, tick));
  }
  const value = median(port);
  const baseline = median(raw);
  const ratio = value / baseline;
  progress.log(
    `${workload.label}: ${Math.round(value)} appends/s vs raw ${Math.round(baseline)} (ratio ${ratio.toFixed(2)}); rounds port=[${port
      .map(Math.round)
      .join(', ')}] raw=[${raw.map(Math.round).join(', ')}]${
      sequential ? ` raw on a thread=[${rawInWorker.map(Math.round).join(', ')}]` : ''
    }`,
  );
  const target = `>= ${TARGET_RATE} ${workload.eventsPerAppend > 1 ? 'events' : 'appends'}/s and >= ${TARGET_RATIO} of raw`;
  const notes = `median of ${ROUNDS} rounds; ${workload.writers} writer(s); ${workload.eventsPerAppend} event(s) per append${
    baseline < TARGET_RATE && workload.eventsPerAppend === 1
      ? '; raw itself is below the rate target: fsync-bound disk'
      : ''
  }`;
  const appends: BenchResult = {
    name: workload.label,
    value,
    unit: 'appends/s',
    baseline: { name: 'raw better-sqlite3, 1 tx per append', value: baseline },
    ratio,
    notes,
  };
  const hop: BenchResult[] = sequential
    ? [
        {
          name: `${workload.label}, against raw inserts behind one thread hop`,
          value,
          unit: 'appends/s',
          baseline: {
            name: 'raw better-sqlite3 on a worker thread, 1 tx and 1 round trip per append',
            value: median(rawInWorker),
          },
          ratio: value / median(rawInWorker),
          notes: `the hop alone leaves raw at ${(median(rawInWorker) / baseline).toFixed(2)} of raw on the main thread (median of ${ROUNDS} rounds)`,
        },
      ]
    : [];
  if (workload.eventsPerAppend === 1) {
    return [{ ...appends, target, met: value >= TARGET_RATE && ratio >= TARGET_RATIO }, ...hop];
  }
  const events = value * workload.eventsPerAppend;
  return [
    appends,
    {
      name: `${workload.label} (events)`,
      value: events,
      unit: 'events/s',
      baseline: { name: 'raw better-sqlite3, 1 tx per batch', value: baseline * workload.eventsPerAppend },
      ratio,
      target,
      met: events >= TARGET_RATE && ratio >= TARGET_RATIO,
    },
    ...hop,
  ];
};

export const bench: BenchDefinition = {
  name: 'event store durable appends (SQLite)',
  run: async (progress) => {
    fs.mkdirSync(workDir, { recursive: true });
    try {
      return [
        ...(await compare(
          { label: 'single-event appends, sequential', appends: SINGLE_APPENDS, eventsPerAppend: 1, writers: 1 },
          progress,
        )),
        ...(await compare(
          {
            label: `single-event appends, ${CONCURRENT_WRITERS} concurrent writers`,
            appends: CONCURRENT_WRITERS * CONCURRENT_APPENDS_PER_WRITER,
            eventsPerAppend: 1,
            writers: CONCURRENT_WRITERS,
          },
          progress,
        )),
        ...(await compare(
          {
            label: `${BATCH_SIZE}-event batch appends, sequential`,
            appends: BATCHES,
            eventsPerAppend: BATCH_SIZE,
            writers: 1,
          },
          progress,
        )),
      ];
    } finally {
      fs.rmSync(workDir, { recursive: true, force: true });
    }
  },
};
