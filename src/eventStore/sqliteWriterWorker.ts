import { parentPort, workerData } from 'node:worker_threads';
import { createAppendOne, type StreamAppend } from './sqliteAppend';
import { createCommitGroup } from './sqliteCommitGroup';
import { openEventLog } from './sqliteSchema';

/**
 * The event log's writer thread: owns the one writing connection and commits each group
 * it is sent (one fsync per group), so the durable commit never blocks the main event loop.
 */
export type WriterRequest = { type: 'commit'; group: StreamAppend[] } | { type: 'close' };

const port = parentPort;
if (port) {
  const db = openEventLog((workerData as { path: string }).path);
  const commitGroup = createCommitGroup(db, createAppendOne(db));
  port.on('message', (request: WriterRequest) => {
    if (request.type === 'close') {
      db.close();
      port.close();
      return;
    }
    try {
      port.postMessage({ ok: true, outcomes: commitGroup(request.group) });
    } catch (error) {
      port.postMessage({ ok: false, message: error instanceof Error ? error.message : String(error) });
    }
  });
}
