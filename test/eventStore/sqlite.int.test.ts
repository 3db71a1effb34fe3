import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createSqliteEventStore } from '../../src/eventStore/sqlite';
import { describeEventStoreContract } from './eventStoreContract';

describeEventStoreContract('embedded SQLite', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eventstore-'));
  const file = path.join(dir, 'events.sqlite');
  const open = () => createSqliteEventStore({ path: file, pollIntervalMs: 50 });
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
