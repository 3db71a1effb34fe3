import path from 'node:path';
import { createSqliteIdempotencyStore } from '../../src/idempotency/sqliteIdempotencyStore';
import { makeTempDir } from '../helpers/testApp';
import { describeIdempotencyStoreContract } from './idempotencyStoreContract';

const file = path.join(makeTempDir('idempotency-'), 'readmodels.sqlite');

describeIdempotencyStoreContract('SQLite (a table in the read-model file)', async () => {
  const store = createSqliteIdempotencyStore({ path: file });
  await store.start();
  return { store, dispose: () => store.close() };
});

describe('Given the SQLite idempotency store', () => {
  it('When a key is claimed, then its durable commit runs off the calling thread: the event loop turns before the claim is answered', async () => {
    const store = createSqliteIdempotencyStore({ path: path.join(makeTempDir('idempotency-'), 'readmodels.sqlite') });
    await store.start();
    const order: string[] = [];

    const claimed = store
      .claim({ scope: 'user:u1', key: 'k1' }, { fingerprint: 'f', now: new Date(), lockMs: 1000, ttlMs: 60_000 })
      .then((claim) => order.push(`claim ${claim.outcome}`));
    setImmediate(() => order.push('event loop turned'));
    await claimed;
    await new Promise((resolve) => setImmediate(resolve));

    expect(order).toEqual(['event loop turned', 'claim claimed']);
    await store.close();
  });
});
