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
