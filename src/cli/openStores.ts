import { loadConfig, type Config } from '../config';
import { createEventStore } from '../eventStore/createEventStore';
import type { EventStore } from '../eventStore/eventStore';
import { allProjections } from '../projections/allProjections';
import type { Projection } from '../projections/projection';
import { createReadModelStore } from '../readModels/createReadModelStore';
import type { ReadModelStore } from '../readModels/readModelStore';
import type { CliIo } from './cliIo';

export type Stores = {
  config: Config;
  eventStore: EventStore;
  readModels: ReadModelStore;
  projections: Projection[];
  close: () => Promise<void>;
};

/** The same stores the server opens, from the same environment (DATA_DIR, EVENTSTORE_URL, MONGO_URL). */
export const openEventStore = (io: CliIo): { config: Config; eventStore: EventStore } => {
  const config = loadConfig(io.env);
  return { config, eventStore: createEventStore(config) };
};

export const openStores = async (io: CliIo): Promise<Stores> => {
  const { config, eventStore } = openEventStore(io);
  const readModels = createReadModelStore(config);
  const projections = io.projections ?? allProjections;
  projections.forEach((projection) =>
    readModels.register({ name: projection.name, collections: projection.collections }),
  );
  try {
    await readModels.start();
  } catch (error) {
    await eventStore.close();
    throw error;
  }
  return {
    config,
    eventStore,
    readModels,
    projections,
    close: async () => {
      await readModels.close();
      await eventStore.close();
    },
  };
};

/** Runs `work` with the stores open and closes them whatever happens. */
export const withStores = async <T>(io: CliIo, work: (stores: Stores) => Promise<T>): Promise<T> => {
  const stores = await openStores(io);
  try {
    return await work(stores);
  } finally {
    await stores.close();
  }
};

export const withEventStore = async <T>(io: CliIo, work: (eventStore: EventStore) => Promise<T>): Promise<T> => {
  const { eventStore } = openEventStore(io);
  try {
    return await work(eventStore);
  } finally {
    await eventStore.close();
  }
};
