import path from 'node:path';
import { Worker } from 'node:worker_threads';

/**
 * A worker thread running the module `directory/baseName`: the built `.js` under dist, or
 * the TypeScript source through tsx when the server itself runs from sources (tsx, ts-jest).
 */
export const startModuleWorker = (directory: string, baseName: string, workerData: unknown): Worker => {
  if (!__filename.endsWith('.ts')) return new Worker(path.join(directory, `${baseName}.js`), { workerData });
  const source = path.join(directory, `${baseName}.ts`);
  const script = `require(${JSON.stringify(require.resolve('tsx/cjs'))}); require(${JSON.stringify(source)});`;
  return new Worker(script, { eval: true, workerData });
};
