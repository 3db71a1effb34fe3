import type { EventMetadata } from '../../src/eventStore/eventStore';
import { createUpcasterRegistry, EventFromTheFutureError } from '../../src/eventVersions/upcasting';

const metadata: EventMetadata = { actor: { type: 'user', id: 'u' }, correlationId: 'c', causationId: 'c' };

describe('Given an event type at version 3 with upcasters from 1 and from 2', () => {
  const registry = createUpcasterRegistry({
    Renamed: {
      current: 3,
      upcasters: {
        1: (data: { name: string }) => ({ fullName: data.name }),
        2: (data: { fullName: string }) => ({ fullName: data.fullName, nickname: null }),
      },
    },
  });

  it('When an event without a version is read, then it is version 1 and goes through every step', () => {
    expect(registry.upcast({ type: 'Renamed', data: { name: 'Ada' }, metadata })).toEqual({
      type: 'Renamed',
      data: { fullName: 'Ada', nickname: null },
      metadata: { ...metadata, schemaVersion: 3 },
    });
  });

  it('When a version 2 event is read, then only the step from 2 runs', () => {
    const event = { type: 'Renamed', data: { fullName: 'Ada' }, metadata: { ...metadata, schemaVersion: 2 } };
    expect(registry.upcast(event).data).toEqual({ fullName: 'Ada', nickname: null });
  });

  it('When a current event or a type that never changed is read, then it is returned as it is', () => {
    const currentEvent = {
      type: 'Renamed',
      data: { fullName: 'Ada', nickname: 'A' },
      metadata: { ...metadata, schemaVersion: 3 },
    };
    const unchanged = { type: 'Other', data: { x: 1 }, metadata };
    expect(registry.upcast(currentEvent)).toBe(currentEvent);
    expect(registry.upcast(unchanged)).toBe(unchanged);
  });

  it('When events are written, then each is stamped with its type current version', () => {
    expect(registry.stamp({ type: 'Renamed', data: {}, metadata }).metadata.schemaVersion).toBe(3);
    expect(registry.stamp({ type: 'Other', data: {}, metadata }).metadata.schemaVersion).toBe(1);
  });

  it('When an event was written by a newer release (version 4), then reading it fails loudly instead of guessing', () => {
    const event = { type: 'Renamed', data: {}, metadata: { ...metadata, schemaVersion: 4 } };
    expect(() => registry.upcast(event)).toThrow(EventFromTheFutureError);
  });

  it('When a step is missing from the chain, then the registry refuses to be built', () => {
    expect(() => createUpcasterRegistry({ Gap: { current: 3, upcasters: { 1: (data: object) => data } } })).toThrow(
      /no upcaster from version 2/,
    );
  });
});
