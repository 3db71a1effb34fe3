import type { Writable } from 'node:stream';
import type { EventStore } from '../eventStore/eventStore';
import { CSV_HEADER, toCsvLine, toNdjsonLine, type ExportFormat } from './exportFormats';
import { createChunkEncoder } from './chunkEncoder';
import { selectEvents, type EventSelection } from './selectEvents';

export { toExportRecord, type ExportFormat } from './exportFormats';

/**
 * Events read per page unless told otherwise, one write per page. Larger pages were slower
 * (measured): a page of parsed events outlives V8's young generation and costs full GCs.
 */
export const EXPORT_PAGE_SIZE = 2000;

/** Writes and waits for the destination to drain when its buffer is full (backpressure). */
const writeChunk = (out: Writable, chunk: Buffer): Promise<void> =>
  new Promise((resolve, reject) => {
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
 * page size whatever the size of the log. Each page is formatted straight into UTF-8
 * buffers and written before the next read; a destination that is behind (its buffer
 * full) is awaited ('drain'), so a slow disk or pipe slows the reads instead of filling memory.
 */
export const exportEvents = async (
  store: EventStore,
  selection: EventSelection,
  options: { format: ExportFormat; out: Writable; pageSize?: number; progress?: ExportProgress },
): Promise<{ exported: number }> => {
  const selected = await selectEvents(store, selection, { pageSize: options.pageSize ?? EXPORT_PAGE_SIZE });
  options.progress?.start(selected.total);
  const line = options.format === 'ndjson' ? toNdjsonLine : toCsvLine;
  const encoder = createChunkEncoder();
  if (options.format === 'csv') encoder.add(CSV_HEADER);
  let exported = 0;
  try {
    for await (const page of selected.read(options.progress?.update)) {
      for (const event of page) encoder.add(line(event));
      for (const chunk of encoder.take()) await writeChunk(options.out, chunk);
      exported += page.length;
    }
    for (const chunk of encoder.take()) await writeChunk(options.out, chunk);
  } finally {
    options.progress?.stop();
  }
  return { exported };
};
