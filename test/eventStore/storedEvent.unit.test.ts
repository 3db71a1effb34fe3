import type { RecordedEvent } from '../../src/eventStore/eventStore';
import { dataJsonOf, metadataJsonOf, storedEvent } from '../../src/eventStore/storedEvent';

const stored = (): RecordedEvent =>
  storedEvent({
    id: '019ce156-1647-75b9-a5ba-077500000001',
    type: 'PostPublished',
    // Spaces JSON.stringify would not write: they show which text is used.
    dataJson: '{"a": 1, "list": [1, 2]}',
    metadataJson: '{"actor": {"type": "admin", "id": "x"}, "correlationId": "c", "causationId": "d"}',
    streamName: 'channel-1',
    revision: 0n,
    position: 1n,
    recordedAt: '2026-03-16T10:00:00.000Z',
  });

describe('Given an event the SQLite store decoded from its stored text', () => {
  it('When its data and metadata are asked for as JSON, then the stored text comes back as it was stored', () => {
    const event = stored();
    expect(event.data).toEqual({ a: 1, list: [1, 2] });
    expect(dataJsonOf(event)).toBe('{"a": 1, "list": [1, 2]}');
    expect(metadataJsonOf(event)).toBe(
      '{"actor": {"type": "admin", "id": "x"}, "correlationId": "c", "causationId": "d"}',
    );
  });

  it('When it is copied (as an upcaster does), then the copy has no stored text and its values are encoded', () => {
    const copy: RecordedEvent = { ...stored() };
    expect(dataJsonOf(copy)).toBe('{"a":1,"list":[1,2]}');
    expect(metadataJsonOf({ ...copy, metadata: { ...copy.metadata, schemaVersion: 2 } })).toBe(
      '{"actor":{"type":"admin","id":"x"},"correlationId":"c","causationId":"d","schemaVersion":2}',
    );
  });
});
