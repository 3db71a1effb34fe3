import type { ReadModelStore } from '../readModels/readModelStore';

/**
 * The trigger's checkpoint lives in the read-model store as a projection with no
 * collections: `applyBatch` stores it durably (SQLite or MongoDB, whichever serves the
 * read models) and never moves it backwards.
 */
export const PUSH_TRIGGER_PROJECTION = 'pushTrigger';

export type PushCheckpoint = {
  read: () => Promise<bigint | undefined>;
  save: (position: bigint) => Promise<void>;
};

/** Registers the checkpoint's projection; call before the read-model store starts. */
export const createPushCheckpoint = (readModels: ReadModelStore): PushCheckpoint => {
  readModels.register({ name: PUSH_TRIGGER_PROJECTION, collections: [] });
  return {
    read: () => readModels.readCheckpoint(PUSH_TRIGGER_PROJECTION, 1),
    save: (position) => readModels.applyBatch(PUSH_TRIGGER_PROJECTION, 1, position, async () => {}),
  };
};
