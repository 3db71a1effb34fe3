import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../config';
import { eventVersions } from '../eventVersions/eventVersions';
import type { EventStore } from './eventStore';
import { createSqliteEventStore } from './sqlite';
import type * as EventStoreDbModule from './eventStoreDb';
import { withEventVersions } from './versionedEventStore';

const createAdapter = (config: Pick<Config, 'eventStoreUrl' | 'dataDir'>): EventStore => {
  if (config.eventStoreUrl) {
    // Loaded lazily so the embedded default never pulls in the gRPC client.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { createEventStoreDbEventStore } = require('./eventStoreDb') as typeof EventStoreDbModule;
    return createEventStoreDbEventStore({ connectionString: config.eventStoreUrl });
  }
  fs.mkdirSync(config.dataDir, { recursive: true });
  return createSqliteEventStore({ path: path.join(config.dataDir, 'events.sqlite') });
};

/**
 * EventStoreDB when EVENTSTORE_URL is set, otherwise the embedded SQLite file in DATA_DIR;
 * either way seen through the event versions (every read upcast, every append stamped).
 */
export const createEventStore = (config: Pick<Config, 'eventStoreUrl' | 'dataDir'>): EventStore =>
  withEventVersions(createAdapter(config), eventVersions);
