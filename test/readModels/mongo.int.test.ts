import { MongoClient } from 'mongodb';
import { v7 as uuidv7 } from 'uuid';
import { createMongoReadModelStore } from '../../src/readModels/mongo';
import { describeLeaseStoreContract } from './leaseStoreContract';
import { describeReadModelStoreContract, type OpenStore } from './readModelStoreContract';

// Runs only against a real MongoDB replica set (transactions need one): MONGO_URL=mongodb://… npx jest test/readModels/mongo
const url = process.env.MONGO_URL;
if (!url) throw new Error('mongo.int.test.ts needs MONGO_URL; jest.config.js ignores this file when it is not set');

const openMongoStore: OpenStore = async (specs) => {
  const database = `readmodels_contract_${uuidv7().replace(/-/g, '')}`;
  const store = createMongoReadModelStore({ url, database, versionCacheMs: 0 });
  specs.forEach((spec) => store.register(spec));
  await store.start();
  return {
    store,
    dispose: async () => {
      await store.close();
      const client = await new MongoClient(url).connect();
      await client.db(database).dropDatabase();
      await client.close();
    },
  };
};

describeReadModelStoreContract('MongoDB', openMongoStore);
describeLeaseStoreContract('MongoDB', openMongoStore);
