import { Writable } from 'node:stream';
import type { EventStore, RecordedEvent } from '../../src/eventStore/eventStore';
import { exportEvents } from '../../src/history/exportEvents';
import { CSV_HEADER, toCsvLine, toExportRecord, toNdjsonLine } from '../../src/history/exportFormats';
import { csvStringifyReference } from './csvStringifyReference';

const awkward = ['plain', 'a,b', 'say "hi"', 'two\nlines', 'cr\ronly', '', ' lead', 'x;y\t', 'é ü 💬', '\u2028'];

const eventWith = (text: string, index: number): RecordedEvent => ({
  id: `019ce156-1647-75b9-a5ba-0775${String(index).padStart(8, '0')}`,
  type: 'PostPublished',
  streamName: `channel-${text}`,
  revision: BigInt(index),
  position: 9_007_199_254_740_993n + BigInt(index),
  recordedAt: '2026-03-16T10:00:00.000Z',
  data: { bodyText: text, nested: { list: [1, null, text] }, n: 1.5 },
  metadata: { actor: { type: 'user', id: text }, correlationId: text, causationId: 'c' },
});

const events = awkward.map(eventWith);

describe('Given events whose strings hold commas, quotes, line breaks and non-ASCII text', () => {
  it('When formatted as CSV, then the text is exactly what csv-stringify writes for the same rows and header', () => {
    const ours = CSV_HEADER + events.map(toCsvLine).join('');
    expect(ours).toBe(csvStringifyReference(events));
  });

  it('When formatted as NDJSON, then each line is exactly JSON.stringify of the export record', () => {
    expect(events.map(toNdjsonLine)).toEqual(events.map((event) => `${JSON.stringify(toExportRecord(event))}\n`));
    expect(JSON.parse(toNdjsonLine(events[3]))).toEqual(JSON.parse(JSON.stringify(toExportRecord(events[3]))));
  });
});

describe('Given a log of 50 events and a destination that takes nothing until it is released', () => {
  it('When exporting in pages of 10, then reading stops after one page until the destination drains, and every event arrives once', async () => {
    const log = Array.from({ length: 50 }, (_, index) => eventWith(`e${index}`, index + 1));
    let reads = 0;
    const store = {
      headPosition: async () => log[log.length - 1].position,
      readAll: async ({ after, maxCount }: { after?: bigint; maxCount?: number }) => {
        reads++;
        return log.filter((event) => after === undefined || event.position > after).slice(0, maxCount);
      },
    } as unknown as EventStore;
    const held: Array<() => void> = [];
    const received: Buffer[] = [];
    const out = new Writable({
      highWaterMark: 1,
      write(chunk: Buffer, _encoding, callback) {
        received.push(chunk);
        held.push(callback);
      },
    });
    const exporting = exportEvents(store, { source: { kind: 'log' } }, { format: 'ndjson', out, pageSize: 10 });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect({ reads, written: received.length }).toEqual({ reads: 1, written: 1 });

    let finished = false;
    const done = exporting.finally(() => (finished = true));
    while (!finished) {
      held.shift()?.();
      await new Promise((resolve) => setImmediate(resolve));
    }
    await done;
    const lines = Buffer.concat(received).toString('utf8').trim().split('\n');
    expect(lines.map((text) => (JSON.parse(text) as { position: string }).position)).toEqual(
      log.map((event) => event.position.toString()),
    );
  });
});
