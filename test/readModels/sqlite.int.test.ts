import path from 'node:path';
import { createSqliteReadModelStore } from '../../src/readModels/sqlite';
import { makeTempDir } from '../helpers/testApp';
import { describeLeaseStoreContract } from './leaseStoreContract';
import { describeReadModelStoreContract } from './readModelStoreContract';

describeReadModelStoreContract('SQLite (file, separate reader and writer connections)', async (specs) => {
  const store = createSqliteReadModelStore({
    path: path.join(makeTempDir('readmodels-'), 'readmodels.sqlite'),
    versionCacheMs: 0,
  });
  specs.forEach((spec) => store.register(spec));
  await store.start();
  return { store, dispose: () => store.close() };
});

describeReadModelStoreContract('SQLite (:memory:)', async (specs) => {
  const store = createSqliteReadModelStore({ path: ':memory:', versionCacheMs: 0 });
  specs.forEach((spec) => store.register(spec));
  await store.start();
  return { store, dispose: () => store.close() };
});

describeLeaseStoreContract('SQLite', async (specs) => {
  const store = createSqliteReadModelStore({
    path: path.join(makeTempDir('leases-'), 'readmodels.sqlite'),
    versionCacheMs: 0,
  });
  specs.forEach((spec) => store.register(spec));
  await store.start();
  return { store, dispose: () => store.close() };
});
