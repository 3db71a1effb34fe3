import { isMainThread, workerData } from 'node:worker_threads';
import { serveCalls } from '../workers/serveCalls';
import { createAppendOne } from './sqliteAppend';
import { createCommitGroup } from './sqliteCommitGroup';
import { openEventLog } from './sqliteSchema';

/**
 * The event log's writer thread: owns the one writing connection and commits each group
 * it is sent (one fsync per group), so the durable commit never blocks the main event loop.
 */
if (!isMainThread) {
  const db = openEventLog((workerData as { path: string }).path);
  serveCalls(createCommitGroup(db, createAppendOne(db)), () => db.close());
}
