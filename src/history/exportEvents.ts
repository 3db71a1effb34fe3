import type { Writable } from 'node:stream';
import { stringify } from 'csv-stringify/sync';
import type { EventStore, RecordedEvent } from '../eventStore/eventStore';
import { selectEvents, type EventSelection } from './selectEvents';

export type ExportFormat = 'ndjson' | 'csv';

/** One exported event: positions and revisions as strings, as at every boundary. */
export const toExportRecord = (event: RecordedEvent) => ({
  position: event.position.toString(),
  streamName: event.streamName,
  revision: event.revision.toString(),
  eventId: event.id,
  type: event.type,
  recordedAt: event.recordedAt,
  data: event.data,
  metadata: event.metadata,
});

const CSV_COLUMNS = [
  'position',
  'streamName',
  'revision',
  'eventId',
  'type',
  'recordedAt',
  'actorType',
  'actorId',
  'correlationId',
  'causationId',
  'data',
];

const toCsvRow = (event: RecordedEvent): string[] => [
  event.position.toString(),
  event.streamName,
  event.revision.toString(),
  event.id,
  event.type,
  event.recordedAt,
  event.metadata?.actor?.type ?? '',
  event.metadata?.actor?.id ?? '',
  event.metadata?.correlationId ?? '',
  event.metadata?.causationId ?? '',
  JSON.stringify(event.data),
];

const formatChunk = (events: RecordedEvent[], format: ExportFormat, header: boolean): string => {
  switch (format) {
    case 'ndjson':
      return events.map((event) => `${JSON.stringify(toExportRecord(event))}\n`).join('');
    case 'csv':
      return stringify(events.map(toCsvRow), { header, columns: CSV_COLUMNS });
    default: {
      const unexpected: never = format;
      throw new RangeError(`Unknown export format ${String(unexpected)}`);
    }
  }
};

/** Writes and waits for the destination to drain when its buffer is full (backpressure). */
const writeChunk = (out: Writable, chunk: string): Promise<void> =>
  new Promise((resolve, reject) => {
    if (chunk === '') return resolve();
    const onError = (error: Error) => reject(error);
    out.once('error', onError);
    const done = () => {
      out.off('error', onError);
      resolve();
    };
    if (out.write(chunk)) done();
    else out.once('drain', done);
  });

export type ExportProgress = { start: (total: number) => void; update: (done: number) => void; stop: () => void };

/**
 * Streams the selected events to `out`, a page at a time: memory stays bounded by the
 * page size whatever the size of the log.
 */
export const exportEvents = async (
  store: EventStore,
  selection: EventSelection,
  options: { format: ExportFormat; out: Writable; pageSize?: number; progress?: ExportProgress },
): Promise<{ exported: number }> => {
  const selected = await selectEvents(store, selection, { pageSize: options.pageSize });
  options.progress?.start(selected.total);
  let exported = 0;
  let header = options.format === 'csv';
  try {
    for await (const page of selected.read(options.progress?.update)) {
      await writeChunk(options.out, formatChunk(page, options.format, header));
      exported += page.length;
      header = false;
    }
    if (header) await writeChunk(options.out, formatChunk([], options.format, header));
  } finally {
    options.progress?.stop();
  }
  return { exported };
};
