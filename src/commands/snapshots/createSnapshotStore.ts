import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../../config';
import { createSqliteSnapshotStore } from './sqliteSnapshotStore';
import type { SnapshotStore } from './snapshotStore';

/**
 * The snapshot file in DATA_DIR, with every event store: a snapshot names the event it
 * ends with, so it is only used on the log it was taken from. Processes that share DATA_DIR
 * share their snapshots; a node with its own disk keeps its own, which is as correct.
 */
export const createSnapshotStore = (config: Pick<Config, 'dataDir'>): SnapshotStore => {
  fs.mkdirSync(config.dataDir, { recursive: true });
  return createSqliteSnapshotStore({ path: path.join(config.dataDir, 'snapshots.sqlite') });
};
