import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../config';
import type { ReadModelStore } from './readModelStore';
import { createSqliteReadModelStore } from './sqlite';
import type * as MongoModule from './mongo';

/** MongoDB when MONGO_URL is set, otherwise an embedded SQLite file in DATA_DIR (apart from the event log). */
export const createReadModelStore = (
  config: Pick<Config, 'mongoUrl' | 'mongoDatabase' | 'dataDir'>,
): ReadModelStore => {
  if (config.mongoUrl) {
    // Loaded lazily so the embedded default never opens a MongoDB client.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { createMongoReadModelStore } = require('./mongo') as typeof MongoModule;
    return createMongoReadModelStore({ url: config.mongoUrl, database: config.mongoDatabase });
  }
  fs.mkdirSync(config.dataDir, { recursive: true });
  return createSqliteReadModelStore({ path: path.join(config.dataDir, 'readmodels.sqlite') });
};
