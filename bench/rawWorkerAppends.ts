import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import type { NewEvent } from '../src/eventStore/eventStore';
import { EVENTS_SCHEMA } from '../src/eventStore/sqlite';

// Plain JavaScript, so the thread starts the same under tsx and compiled.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.betterSqlite3);
const db = new Database(workerData.path);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = FULL');
db.exec(workerData.schema);
const insert = db.prepare(
  'INSERT INTO events (event_id, stream_name, revision, type, data, metadata, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
);
const append = db.transaction((rows) => rows.forEach((row) => insert.run(row)));
parentPort.on('message', (rows) => {
  if (rows === 'close') return db.close(), parentPort.close();
  append.immediate(rows);
  parentPort.postMessage(true);
});
`;

/**
 * The least an append can cost once its fsync is off the main thread: the same rows as the
 * raw baseline, encoded on the main thread, inserted in one durable transaction by raw
 * better-sqlite3 on a worker thread, one postMessage each way. No queue, no group commit,
 * no checks: the price of the thread hop alone.
 */
export const openRawWorkerAppends = async (path: string) => {
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { path, schema: EVENTS_SCHEMA, betterSqlite3: require.resolve('better-sqlite3') },
  });
  await once(worker, 'online');
  let waiting: { resolve: () => void; reject: (error: Error) => void } | undefined;
  worker.on('message', () => waiting?.resolve());
  worker.on('error', (error) => waiting?.reject(error));
  const append = async (stream: string, firstRevision: number, events: NewEvent[]) => {
    const recordedAt = new Date().toISOString();
    const rows = events.map((event, offset) => [
      event.id,
      stream,
      firstRevision + offset,
      event.type,
      JSON.stringify(event.data),
      JSON.stringify(event.metadata),
      recordedAt,
    ]);
    await new Promise<void>((resolve, reject) => {
      waiting = { resolve, reject };
      worker.postMessage(rows);
    });
  };
  const close = async () => {
    const exited = once(worker, 'exit');
    worker.postMessage('close');
    await exited;
  };
  return { append, close };
};
