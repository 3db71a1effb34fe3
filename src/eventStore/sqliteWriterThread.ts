import { startModuleWorker } from '../workers/moduleWorker';
import { workerCalls } from '../workers/workerCalls';
import type { EncodedAppend } from './sqliteAppendWire';
import type { AppendOutcome } from './sqliteCommitGroup';

export type CommitGroup = (group: EncodedAppend[]) => Promise<AppendOutcome[]>;
export type WriterThread = { commit: CommitGroup; close: () => Promise<void> };

/** The event log's writer thread (sqliteWriterWorker), one group in flight at a time. */
export const startWriterThread = (logPath: string): WriterThread => {
  const worker = startModuleWorker(__dirname, 'sqliteWriterWorker', { path: logPath });
  const calls = workerCalls<EncodedAppend[], AppendOutcome[]>(worker, 'Event log');
  return { commit: calls.call, close: calls.close };
};
