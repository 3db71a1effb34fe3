import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { eventVersions } from '../../src/eventVersions/eventVersions';
import { createSqliteEventStore } from '../../src/eventStore/sqlite';
import { withEventVersions } from '../../src/eventStore/versionedEventStore';
import { describeEventStoreContract } from './eventStoreContract';

// The store every reader gets (createEventStore) is the adapter seen through the event versions: it keeps the port's contract.
describeEventStoreContract('embedded SQLite seen through the event versions', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eventstore-versioned-'));
  const file = path.join(dir, 'events.sqlite');
  const open = () => withEventVersions(createSqliteEventStore({ path: file, pollIntervalMs: 50 }), eventVersions);
  const store = open();
  const reopened: Array<ReturnType<typeof open>> = [];
  return {
    store,
    isolated: true,
    reopen: async () => {
      const again = open();
      reopened.push(again);
      return again;
    },
    dispose: async () => {
      await store.close();
      await Promise.all(reopened.map((handle) => handle.close()));
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
});
