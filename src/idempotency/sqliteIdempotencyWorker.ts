import { isMainThread, workerData } from 'node:worker_threads';
import { serveCalls } from '../workers/serveCalls';
import { openIdempotencyRecords } from './sqliteIdempotencyRecords';

/**
 * The idempotency records' thread: owns their connection and runs each batch it is sent
 * in one durable transaction, so the fsync never blocks the main event loop.
 */
if (!isMainThread) {
  const records = openIdempotencyRecords((workerData as { path: string }).path);
  serveCalls(records.run, records.close);
}
