import { spawnSync } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(__dirname, '../..');

/** Appends one event to a SQLite log file from a process of its own, as a second API node would. */
export const appendFromAnotherProcess = (
  file: string,
  stream: string,
  event: { type: string; data: unknown } = { type: 'Elsewhere', data: {} },
) => {
  const script = `
    const { v7 } = require('uuid');
    const { createSqliteEventStore } = require('./src/eventStore/sqlite');
    const store = createSqliteEventStore({ path: ${JSON.stringify(file)} });
    const meta = { actor: { type: 'system', id: 'other' }, correlationId: 'c', causationId: 'c' };
    const event = { id: v7(), ...${JSON.stringify(event)}, metadata: meta };
    store.appendToStream(${JSON.stringify(stream)}, [event]).then(() => store.close());`;
  const child = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], { cwd: root, encoding: 'utf8' });
  if (child.status !== 0) throw new Error(`appending process failed: ${child.stderr}`);
};
