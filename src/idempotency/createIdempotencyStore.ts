import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../config';
import type { IdempotencyStore } from './idempotencyStore';
import type * as MongoAdapter from './mongoIdempotencyStore';
import { createSqliteIdempotencyStore } from './sqliteIdempotencyStore';

/**
 * Beside the read models: in their MongoDB when MONGO_URL is set, else in a SQLite file of its
 * own in DATA_DIR (not the read-model file: SQLite locks a file for one writer at a time, and
 * the records' durable commits would make the projections' commits on the event loop wait).
 */
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
  return createSqliteIdempotencyStore({ path: path.join(config.dataDir, 'idempotency.sqlite') });
};
