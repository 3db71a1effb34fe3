import { MongoClient } from 'mongodb';
import { v7 as uuidv7 } from 'uuid';
import { createMongoIdempotencyStore } from '../../src/idempotency/mongoIdempotencyStore';
import { describeIdempotencyStoreContract } from './idempotencyStoreContract';

// Runs only against a real MongoDB: MONGO_URL=mongodb://… npx jest test/idempotency/mongo
const url = process.env.MONGO_URL;
if (!url) throw new Error('mongoIdempotencyStore.int.test.ts needs MONGO_URL; jest.config.js ignores it otherwise');
const database = `idempotency_contract_${uuidv7().replace(/-/g, '')}`;
let handles = 0;

describeIdempotencyStoreContract('MongoDB (a TTL-indexed collection)', async () => {
  const store = createMongoIdempotencyStore({ url, database });
  await store.start();
  handles += 1;
  return {
    store,
    dispose: async () => {
      await store.close();
      handles -= 1;
      if (handles > 0) return;
      const client = await new MongoClient(url).connect();
      await client.db(database).dropDatabase();
      await client.close();
    },
  };
});
