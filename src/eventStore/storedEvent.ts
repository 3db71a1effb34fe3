import type { EventMetadata, RecordedEvent } from './eventStore';

type StoredFields = {
  id: string;
  type: string;
  dataJson: string;
  metadataJson: string;
  streamName: string;
  revision: bigint;
  position: bigint;
  recordedAt: string;
};

/**
 * An event as the SQLite store decoded it, holding the JSON text its data and metadata were
 * stored as. Writing the event out again (history export) uses that text instead of encoding
 * the values a second time: on a whole-log export, that encoding was a fifth of the time.
 *
 * The text belongs to this object only. A copy (`{ ...event }`, which is how an upcaster
 * gives an event its current shape) or an event built anywhere else has none, and falls back
 * to `JSON.stringify`, so the text never stands for values other than the ones it was read
 * into. Events are values: nothing changes one in place. The store writes both columns with
 * `JSON.stringify`, so the text is exactly what encoding the decoded values gives.
 */
class StoredEvent implements RecordedEvent {
  // Declared in the order of the other stores' event objects, so their keys list the same.
  id: string;
  type: string;
  data: unknown;
  metadata: EventMetadata;
  streamName: string;
  revision: bigint;
  position: bigint;
  recordedAt: string;
  readonly #dataJson: string;
  readonly #metadataJson: string;

  constructor(fields: StoredFields) {
    this.id = fields.id;
    this.type = fields.type;
    this.data = JSON.parse(fields.dataJson);
    this.metadata = JSON.parse(fields.metadataJson) as EventMetadata;
    this.streamName = fields.streamName;
    this.revision = fields.revision;
    this.position = fields.position;
    this.recordedAt = fields.recordedAt;
    this.#dataJson = fields.dataJson;
    this.#metadataJson = fields.metadataJson;
  }

  static dataJsonOf(event: RecordedEvent): string | undefined {
    return #dataJson in event ? event.#dataJson : JSON.stringify(event.data);
  }

  static metadataJsonOf(event: RecordedEvent): string | undefined {
    return #metadataJson in event ? event.#metadataJson : JSON.stringify(event.metadata);
  }
}

export const storedEvent = (fields: StoredFields): RecordedEvent => new StoredEvent(fields);

/** `JSON.stringify(event.data)`, from the stored text when the event is the one the store read. */
export const dataJsonOf = (event: RecordedEvent): string | undefined => StoredEvent.dataJsonOf(event);

/** `JSON.stringify(event.metadata)`, likewise. */
export const metadataJsonOf = (event: RecordedEvent): string | undefined => StoredEvent.metadataJsonOf(event);
