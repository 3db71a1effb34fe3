import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../config';
import type { IdempotencyStore } from './idempotencyStore';
import type * as MongoAdapter from './mongoIdempotencyStore';
import { createSqliteIdempotencyStore } from './sqliteIdempotencyStore';

/** In the read-model store's database: its MongoDB when MONGO_URL is set, else its SQLite file in DATA_DIR. */
export const createIdempotencyStore = (
  config: Pick<Config, 'mongoUrl' | 'mongoDatabase' | 'dataDir'>,
): IdempotencyStore => {
  if (config.mongoUrl) {
    // Loaded lazily so the embedded default never opens a MongoDB client.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { createMongoIdempotencyStore } = require('./mongoIdempotencyStore') as typeof MongoAdapter;
    return createMongoIdempotencyStore({ url: config.mongoUrl, database: config.mongoDatabase });
  }
  fs.mkdirSync(config.dataDir, { recursive: true });
  return createSqliteIdempotencyStore({ path: path.join(config.dataDir, 'readmodels.sqlite') });
};
