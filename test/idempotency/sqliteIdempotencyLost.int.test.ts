import path from 'node:path';
import type { Worker } from 'node:worker_threads';
import { createSqliteIdempotencyStore } from '../../src/idempotency/sqliteIdempotencyStore';
import { makeTempDir } from '../helpers/testApp';

const mockStarted: Worker[] = [];
jest.mock('../../src/workers/moduleWorker', () => {
  const actual = jest.requireActual('../../src/workers/moduleWorker');
  return {
    startModuleWorker: (...args: Parameters<typeof actual.startModuleWorker>) => {
      const worker = actual.startModuleWorker(...args);
      mockStarted.push(worker);
      return worker;
    },
  };
});

const request = () => ({ fingerprint: 'f', now: new Date(), lockMs: 60_000, ttlMs: 600_000 });

describe('Given the SQLite idempotency store whose thread dies', () => {
  it('When the next request arrives, then it is answered by a new thread from the same records', async () => {
    const store = createSqliteIdempotencyStore({
      path: path.join(makeTempDir('idempotency-lost-'), 'idempotency.sqlite'),
    });
    await store.start();
    await store.claim({ scope: 'user:u1', key: 'k1' }, request());

    await mockStarted[0].terminate();

    await expect(store.claim({ scope: 'user:u1', key: 'k1' }, request())).resolves.toMatchObject({
      outcome: 'inFlight',
    });
    await expect(store.claim({ scope: 'user:u1', key: 'k2' }, request())).resolves.toMatchObject({
      outcome: 'claimed',
    });
    expect(mockStarted).toHaveLength(2);
    await store.close();
  });
});
