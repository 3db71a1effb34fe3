import { openWalFile } from '../../sqliteWalFile';
import { checkpointInBackground } from '../../walCheckpoints/backgroundCheckpoints';
import type { Snapshot, SnapshotStore } from './snapshotStore';

type Row = {
  stream_name: string;
  revision: bigint;
  event_id: string;
  version: string;
  state: string;
  checksum: string;
};

/**
 * Snapshots in their own SQLite file beside the other data, whichever event store is
 * used: every snapshot names its event id and revision, so a snapshot file that outlived
 * its log (or another log) is recognised and ignored. Several processes may share the file.
 * synchronous=NORMAL: losing the newest snapshots on power loss only costs a longer fold.
 */
export const createSqliteSnapshotStore = (options: { path: string }): SnapshotStore => {
  const db = openWalFile(options.path, 'NORMAL');
  db.defaultSafeIntegers(true);
  db.exec(`CREATE TABLE IF NOT EXISTS snapshots (
    stream_name TEXT PRIMARY KEY,
    revision    INTEGER NOT NULL,
    event_id    TEXT NOT NULL,
    version     TEXT NOT NULL,
    state       TEXT NOT NULL,
    checksum    TEXT NOT NULL
  )`);
  const select = db.prepare<[string], Row>('SELECT * FROM snapshots WHERE stream_name = ?');
  // A different version replaces the row whatever its revision: after an upgrade the old format is useless.
  const upsert = db.prepare(`INSERT INTO snapshots (stream_name, revision, event_id, version, state, checksum)
    VALUES (@streamName, @revision, @eventId, @version, @state, @checksum)
    ON CONFLICT (stream_name) DO UPDATE SET revision = excluded.revision, event_id = excluded.event_id,
      version = excluded.version, state = excluded.state, checksum = excluded.checksum
    WHERE excluded.revision > snapshots.revision OR excluded.version <> snapshots.version`);
  const stopCheckpoints = checkpointInBackground(db, options.path);

  return {
    load: async (streamName) => {
      const row = select.get(streamName);
      if (!row) return undefined;
      return {
        streamName: row.stream_name,
        revision: BigInt(row.revision),
        eventId: row.event_id,
        version: row.version,
        state: row.state,
        checksum: row.checksum,
      };
    },
    save: async (snapshot: Snapshot) => {
      upsert.run(snapshot);
    },
    close: async () => {
      await stopCheckpoints();
      if (db.open) db.close();
    },
  };
};
