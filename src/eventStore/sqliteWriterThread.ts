import { startModuleWorker } from '../workers/moduleWorker';
import { restartingWorkerCalls } from '../workers/restartingWorkerCalls';
import type { EncodedAppend } from './sqliteAppendWire';
import type { AppendOutcome } from './sqliteCommitGroup';

export type CommitGroup = (group: EncodedAppend[]) => Promise<AppendOutcome[]>;
export type WriterThread = { commit: CommitGroup; close: () => Promise<void> };

/**
 * The event log's writer thread (sqliteWriterWorker), one group in flight at a time; started
 * again when it dies (the group in flight then fails with `WorkerLostError`).
 */
export const startWriterThread = (logPath: string): WriterThread => {
  const calls = restartingWorkerCalls<EncodedAppend[], AppendOutcome[]>(
    () => startModuleWorker(__dirname, 'sqliteWriterWorker', { path: logPath }),
    'Event log',
  );
  return { commit: calls.call, close: calls.close };
};
