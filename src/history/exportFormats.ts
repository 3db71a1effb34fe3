import type { RecordedEvent } from '../eventStore/eventStore';
import { dataJsonOf, metadataJsonOf } from '../eventStore/storedEvent';

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

/**
 * `JSON.stringify(toExportRecord(event))`, written out field by field: the same text without
 * building a record object per event (an export is hundreds of thousands of them), data and
 * metadata as the store read them when it can (`storedEvent`).
 */
export const toNdjsonLine = (event: RecordedEvent): string =>
  `{"position":"${event.position}","streamName":${JSON.stringify(event.streamName)},"revision":"${event.revision}",` +
  `"eventId":${JSON.stringify(event.id)},"type":${JSON.stringify(event.type)},"recordedAt":${JSON.stringify(event.recordedAt)},` +
  `"data":${dataJsonOf(event) ?? 'null'},"metadata":${metadataJsonOf(event) ?? 'null'}}\n`;

export const CSV_COLUMNS = [
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

const NEEDS_QUOTES = /[",\r\n]/;

/**
 * One CSV field as csv-stringify writes it with its defaults (RFC 4180: quoted when it holds
 * a comma, a quote or a line break, quotes doubled). Done here because csv-stringify's
 * per-field options cost three times the read of the log; a test holds it to csv-stringify's output.
 */
export const csvField = (value: string): string =>
  NEEDS_QUOTES.test(value) ? `"${value.replaceAll('"', '""')}"` : value;

export const CSV_HEADER = `${CSV_COLUMNS.join(',')}\n`;

export const toCsvLine = (event: RecordedEvent): string =>
  `${event.position},${csvField(event.streamName)},${event.revision},${csvField(event.id)},${csvField(event.type)},` +
  `${csvField(event.recordedAt)},${csvField(event.metadata?.actor?.type ?? '')},${csvField(event.metadata?.actor?.id ?? '')},` +
  `${csvField(event.metadata?.correlationId ?? '')},${csvField(event.metadata?.causationId ?? '')},` +
  `${csvField(dataJsonOf(event) ?? '')}\n`;
