import path from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import { createSqliteEventStore } from '../../src/eventStore/sqlite';
import type { EventStore } from '../../src/eventStore/eventStore';
import { findEvent, timeOfUuidV7 } from '../../src/history/findEvent';
import { positionBeforeTime } from '../../src/history/positionAtTime';
import { selectEvents } from '../../src/history/selectEvents';
import { mergeByPosition, readStreamEvents } from '../../src/history/readEvents';
import { makeTempDir } from '../helpers/testApp';

const minute = (n: number) => new Date(Date.UTC(2026, 0, 1, 0, n)).toISOString();

/**
 * The same log seen through positions ×10, where reading from anything but an event's own
 * position fails, as on EventStoreDB (whose positions are byte offsets).
 */
const sparseView = (store: EventStore): EventStore => {
  const notAnEvent = (position: bigint) => new Error(`position ${position} is not an event's (InvalidPosition)`);
  const scaled = <E extends { position: bigint }>(event: E): E => ({ ...event, position: event.position * 10n });
  return {
    ...store,
    positionsAreDense: false,
    headPosition: async () => ((await store.headPosition()) ?? 0n) * 10n,
    readEventAt: async (position) => {
      if (position % 10n !== 0n) throw notAnEvent(position);
      const event = await store.readEventAt(position / 10n);
      return event && scaled(event);
    },
    readAll: async (options = {}) => {
      if (options.after !== undefined && options.after % 10n !== 0n) throw notAnEvent(options.after);
      const events = await store.readAll({
        ...options,
        after: options.after === undefined ? undefined : options.after / 10n,
      });
      return events.map(scaled);
    },
  };
};

describe('Given a SQLite log of 50 events recorded one minute apart on two streams', () => {
  let store: EventStore;
  let clock = minute(0);
  beforeAll(async () => {
    store = createSqliteEventStore({ path: path.join(makeTempDir(), 'events.sqlite'), now: () => new Date(clock) });
    for (let n = 0; n < 50; n++) {
      clock = minute(n);
      const id = uuidv7();
      await store.appendToStream(`channel-${n % 2}`, [
        {
          id,
          type: 'Tick',
          data: { n },
          metadata: { actor: { type: 'system', id: 't' }, correlationId: id, causationId: id },
        },
      ]);
    }
  });
  afterAll(() => store.close());

  it.each([0, 1, 17, 49])(
    'When bisecting for minute %i, then the bound is the position just before the first event of that minute',
    async (n) => {
      const all = await store.readAll();
      const expected = n === 0 ? undefined : all[n - 1].position;
      expect(await positionBeforeTime(store, new Date(minute(n)))).toBe(expected);
    },
  );

  it.each([0, 1, 17, 49, 60])(
    'When positions are byte offsets (EventStoreDB) and the time is minute %i, then a forward scan finds the bound without reading from a computed position',
    async (n) => {
      const sparse = sparseView(store);
      const dense = await positionBeforeTime(store, new Date(minute(n)));
      expect(await positionBeforeTime(sparse, new Date(minute(n)))).toBe(dense === undefined ? undefined : dense * 10n);
    },
  );

  it('When selecting from an inclusive position where positions are byte offsets, then the read starts at that event without computing the one before', async () => {
    const sparse = sparseView(store);
    const all = (await sparse.readAll()).map((event) => event.position);
    const selected: bigint[] = [];
    const selection = await selectEvents(sparse, {
      source: { kind: 'log' },
      fromPosition: all[10],
      toPosition: all[13],
    });
    for await (const page of selection.read()) selected.push(...page.map((event) => event.position));
    expect(selected).toEqual(all.slice(10, 14));
  });

  it('When bisecting for a time after the last event, then the bound is the head', async () => {
    expect(await positionBeforeTime(store, new Date(minute(60)))).toBe(await store.headPosition());
  });

  it('When merging the two streams by position, then the result is the log order', async () => {
    const merged: bigint[] = [];
    for await (const event of mergeByPosition([
      readStreamEvents(store, 'channel-1', { pageSize: 3 }),
      readStreamEvents(store, 'channel-0', { pageSize: 7 }),
    ])) {
      merged.push(event.position);
    }
    expect(merged).toEqual((await store.readAll()).map((event) => event.position));
  });

  it('When looking up an event by id in a store with an id index, then the index answers without a scan', async () => {
    const [event] = await store.readAll({ after: 10n, maxCount: 1 });
    let scanned = false;
    expect((await findEvent(store, event.id, { onFullScan: () => (scanned = true) }))?.position).toBe(event.position);
    expect(scanned).toBe(false);
  });

  it('When a store without an id index looks up an event whose UUID v7 time is far from its recordedAt, then the full scan still finds it', async () => {
    const { readEventById: _indexed, ...unindexed } = store;
    const [event] = await store.readAll({ after: 10n, maxCount: 1 });
    expect(timeOfUuidV7(event.id)!.getTime()).toBeGreaterThan(Date.parse(minute(60)));
    let scanned = false;
    expect((await findEvent(unindexed, event.id, { onFullScan: () => (scanned = true) }))?.position).toBe(
      event.position,
    );
    expect(scanned).toBe(true);
  });
});
