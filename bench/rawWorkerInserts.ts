import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
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
 * Raw better-sqlite3 on a worker thread: each `insert` sends rows of the events table,
 * already encoded, and resolves once they are committed in one durable transaction
 * (synchronous=FULL), one postMessage each way. One call at a time. No queue, no checks:
 * the price of keeping the fsync off the main thread, and nothing else.
 */
export const openRawWorkerInserts = async (path: string) => {
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { path, schema: EVENTS_SCHEMA, betterSqlite3: require.resolve('better-sqlite3') },
  });
  await once(worker, 'online');
  let waiting: { resolve: () => void; reject: (error: Error) => void } | undefined;
  let failed: Error | undefined;
  worker.on('message', () => waiting?.resolve());
  worker.on('error', (error) => {
    failed = error;
    waiting?.reject(error);
  });
  worker.on('exit', (code) => {
    failed ??= new Error(`raw insert thread exited with code ${code}`);
    waiting?.reject(failed);
  });
  const insert = (rows: unknown[][]) =>
    new Promise<void>((resolve, reject) => {
      if (failed) return reject(failed);
      waiting = { resolve, reject };
      worker.postMessage(rows);
    });
  const close = async () => {
    const exited = once(worker, 'exit');
    worker.postMessage('close');
    await exited;
  };
  return { insert, close };
};
