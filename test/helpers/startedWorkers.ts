import type { Worker } from 'node:worker_threads';
import type * as ModuleWorker from '../../src/workers/moduleWorker';

/** Every worker thread the server started in this test file, in start order (with `recordingModuleWorker`). */
export const startedWorkers: Worker[] = [];

/**
 * `src/workers/moduleWorker` that also records each thread it starts, so a test can kill
 * one: `jest.mock('../../src/workers/moduleWorker', () =>
 * jest.requireActual('../helpers/startedWorkers').recordingModuleWorker())`.
 */
export const recordingModuleWorker = (): typeof ModuleWorker => {
  const actual = jest.requireActual<typeof ModuleWorker>('../../src/workers/moduleWorker');
  return {
    startModuleWorker: (...args) => {
      const worker = actual.startModuleWorker(...args);
      startedWorkers.push(worker);
      return worker;
    },
  };
};
