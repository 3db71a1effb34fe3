import { Worker } from 'node:worker_threads';
import { restartingWorkerCalls, WorkerLostError } from '../../src/workers/restartingWorkerCalls';

describe('Given calls to a worker thread that is started again when it dies', () => {
  it('When the thread dies before answering, then the call fails with WorkerLostError naming why it died', async () => {
    const calls = restartingWorkerCalls<number, number>(
      () => new Worker('throw new Error("cannot open the file")', { eval: true }),
      'Probe',
    );

    const failure = await calls.call(1).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(WorkerLostError);
    expect((failure as Error).message).toMatch(/^Probe thread died with a call in flight: .*cannot open the file/);
    await calls.close();
  });

  it('When the thread dies of a SQLite error, then the call fails naming its code', async () => {
    const script = `const Database = require(${JSON.stringify(require.resolve('better-sqlite3'))});
      new Database(':memory:').exec('SELECT * FROM missing');`;
    const calls = restartingWorkerCalls<number, number>(() => new Worker(script, { eval: true }), 'Probe');

    const failure = await calls.call(1).catch((error: unknown) => error);

    expect((failure as Error).message).toBe('Probe thread died with a call in flight: SQLITE_ERROR');
    await calls.close();
  });
});
