import { v7 as uuidv7 } from 'uuid';
import { createSqliteEventStore } from '../../src/eventStore/sqlite';

/**
 * A second process on one SQLite log (forked with the file's path): appends one event per
 * message `{ id, stream, type, data }` and answers `{ id }` once it is durable; `{ stop: true }` ends it.
 */
type Request = { id: number; stream: string; type: string; data: unknown } | { stop: true };

const store = createSqliteEventStore({ path: process.argv[2] });
const metadata = { actor: { type: 'system' as const, id: 'appender' }, correlationId: 'c', causationId: 'c' };

process.on('message', (request: Request) => {
  if ('stop' in request) {
    void store.close().then(() => process.exit(0));
    return;
  }
  const event = { id: uuidv7(), type: request.type, data: request.data, metadata };
  void store.appendToStream(request.stream, [event]).then(() => process.send?.({ id: request.id }));
});
process.send?.({ ready: true });
