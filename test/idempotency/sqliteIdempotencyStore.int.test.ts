import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { createSqliteIdempotencyStore } from '../../src/idempotency/sqliteIdempotencyStore';
import { makeTempDir } from '../helpers/testApp';
import { describeIdempotencyStoreContract } from './idempotencyStoreContract';

const file = path.join(makeTempDir('idempotency-'), 'idempotency.sqlite');

describeIdempotencyStoreContract('SQLite (a file of its own in DATA_DIR)', async () => {
  const store = createSqliteIdempotencyStore({ path: file });
  await store.start();
  return { store, dispose: () => store.close() };
});

describe('Given the SQLite idempotency store', () => {
  it('When a key is claimed, then its durable commit runs off the calling thread: the event loop turns before the claim is answered', async () => {
    const store = createSqliteIdempotencyStore({ path: path.join(makeTempDir('idempotency-'), 'idempotency.sqlite') });
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

describe('Given a process using the SQLite idempotency store without closing it', () => {
  it('When a call could not be sent to the store thread (a value that cannot be cloned), then the process still exits once idle', () => {
    const script = `
      const { createSqliteIdempotencyStore } = require('./src/idempotency/sqliteIdempotencyStore');
      const store = createSqliteIdempotencyStore({ path: ${JSON.stringify(path.join(makeTempDir('idempotency-'), 'idempotency.sqlite'))} });
      const request = { fingerprint: 'f', now: new Date(), lockMs: 60000, ttlMs: 600000 };
      store.start()
        .then(() => store.claim({ scope: 'user:u1', key: 'k1' }, request))
        .then((claim) => store.complete({ scope: 'user:u1', key: 'k1' }, claim.token, { status: 201, body: { f: () => 1 } }))
        .catch((error) => console.log('refused:', error.name));`;
    const child = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], {
      cwd: path.resolve(__dirname, '../..'),
      encoding: 'utf8',
      timeout: 20_000, // a hang guard: an idle store must not hold the process open
    });

    expect(child.stdout).toContain('refused: DataCloneError');
    expect(child.signal).toBeNull();
    expect(child.status).toBe(0);
  }, 30_000);
});
