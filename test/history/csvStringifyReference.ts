import { stringify } from 'csv-stringify/sync';
import type { RecordedEvent } from '../../src/eventStore/eventStore';
import { CSV_COLUMNS } from '../../src/history/exportFormats';

/** The row the export wrote with csv-stringify before it formatted rows itself. */
const csvStringifyRow = (event: RecordedEvent) => [
  event.position.toString(),
  event.streamName,
  event.revision.toString(),
  event.id,
  event.type,
  event.recordedAt,
  event.metadata.actor.type,
  event.metadata.actor.id,
  event.metadata.correlationId,
  event.metadata.causationId,
  JSON.stringify(event.data),
];

/** What csv-stringify writes for `events`, header included: the reference the CSV export is held to. */
export const csvStringifyReference = (events: RecordedEvent[]): string =>
  stringify(events.map(csvStringifyRow), { header: true, columns: CSV_COLUMNS });
