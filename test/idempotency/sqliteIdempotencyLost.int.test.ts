import path from 'node:path';
import { createSqliteIdempotencyStore } from '../../src/idempotency/sqliteIdempotencyStore';
import type * as StartedWorkers from '../helpers/startedWorkers';
import { startedWorkers } from '../helpers/startedWorkers';
import { makeTempDir } from '../helpers/testApp';

jest.mock('../../src/workers/moduleWorker', () =>
  jest.requireActual<typeof StartedWorkers>('../helpers/startedWorkers').recordingModuleWorker(),
);

const request = () => ({ fingerprint: 'f', now: new Date(), lockMs: 60_000, ttlMs: 600_000 });

describe('Given the SQLite idempotency store whose thread dies', () => {
  it('When the next request arrives, then it is answered by a new thread from the same records', async () => {
    const store = createSqliteIdempotencyStore({
      path: path.join(makeTempDir('idempotency-lost-'), 'idempotency.sqlite'),
    });
    await store.start();
    await store.claim({ scope: 'user:u1', key: 'k1' }, request());

    await startedWorkers[0].terminate();

    await expect(store.claim({ scope: 'user:u1', key: 'k1' }, request())).resolves.toMatchObject({
      outcome: 'inFlight',
    });
    await expect(store.claim({ scope: 'user:u1', key: 'k2' }, request())).resolves.toMatchObject({
      outcome: 'claimed',
    });
    expect(startedWorkers).toHaveLength(2);
    await store.close();
  });
});
