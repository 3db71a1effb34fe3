import fs from 'node:fs';
import type { Writable } from 'node:stream';
import { Command, Option } from 'commander';
import { streams } from '../commands/streams';
import { EXPORT_PAGE_SIZE, exportEvents, toExportRecord, type ExportFormat } from '../history/exportEvents';
import { findEvent } from '../history/findEvent';
import type { EventSelection, EventSource } from '../history/selectEvents';
import { CliError, type CliIo } from './cliIo';
import { withEventStore } from './openStores';
import { createProgressBar } from './progressBar';
import { collect, parseChannelId, parseCount, parsePositionOption, parseTimeOption } from './parseOptions';

type ExportOptions = {
  stream?: string;
  channel?: number;
  type?: string[];
  fromPosition?: bigint;
  toPosition?: bigint;
  since?: Date;
  until?: Date;
  format: ExportFormat;
  out?: string;
  pageSize: number;
};

const sourceOf = (options: ExportOptions): EventSource => {
  if (options.stream !== undefined && options.channel !== undefined)
    throw new CliError('Use either --stream or --channel, not both');
  if (options.stream !== undefined) return { kind: 'stream', streamName: options.stream };
  if (options.channel !== undefined) return { kind: 'channel', channelId: options.channel };
  return { kind: 'log' };
};

const openOut = (io: CliIo, file: string | undefined): { out: Writable; finish: () => Promise<void> } => {
  if (!file) return { out: io.stdout, finish: async () => {} };
  // A page's text is a few MB: with the default 16 KB buffer every page would wait for the disk
  // before the next read; with room for about one page, reading the next overlaps writing this one.
  const out = fs.createWriteStream(file, { highWaterMark: 8 * 1024 * 1024 });
  return {
    out,
    finish: () =>
      new Promise<void>((resolve, reject) => {
        out.once('error', reject);
        out.end(() => resolve());
      }),
  };
};

export const createHistoryCommand = (io: CliIo, progressEnabled: () => boolean): Command => {
  const command = new Command('history').description('Replay and export the event log');

  command
    .command('export')
    .description(
      'Export events in log order: the whole log, one stream (--stream), or one channel with its discussion (--channel), ' +
        'narrowed by event type and position/time range. Streams page by page with bounded memory.',
    )
    .option('--stream <name>', `one stream, e.g. ${streams.channel(1)}`)
    .option('--channel <channelId>', "a channel's stream and its discussion's stream", parseChannelId)
    .option('--type <eventType>', 'only this event type (repeatable)', collect)
    .option('--from-position <position>', 'first position (inclusive)', parsePositionOption)
    .option('--to-position <position>', 'last position (inclusive)', parsePositionOption)
    .option('--since <time>', 'recorded at or after this ISO-8601 time', parseTimeOption)
    .option('--until <time>', 'recorded before this ISO-8601 time', parseTimeOption)
    .addOption(new Option('--format <format>', 'output format').choices(['ndjson', 'csv']).default('ndjson'))
    .option('--out <file>', 'write to a file instead of stdout')
    .option('--page-size <n>', 'events read per page', parseCount, EXPORT_PAGE_SIZE)
    .action(async (options: ExportOptions) => {
      const selection: EventSelection = {
        source: sourceOf(options),
        eventTypes: options.type,
        fromPosition: options.fromPosition,
        toPosition: options.toPosition,
        since: options.since,
        until: options.until,
      };
      await withEventStore(io, async (eventStore) => {
        const { out, finish } = openOut(io, options.out);
        const unit = selection.source.kind === 'log' ? 'positions' : 'events';
        const { exported } = await exportEvents(eventStore, selection, {
          format: options.format,
          out,
          pageSize: options.pageSize,
          progress: createProgressBar(io, { label: 'export', unit, enabled: progressEnabled() }),
        });
        await finish();
        if (progressEnabled())
          io.stderr.write(`exported ${exported} events${options.out ? ` to ${options.out}` : ''}\n`);
      });
    });

  command
    .command('show')
    .description('One event with its stream, revision and global position')
    .argument('<eventId>', 'the event id (UUID)')
    .action(async (eventId: string) => {
      await withEventStore(io, async (eventStore) => {
        const event = await findEvent(eventStore, eventId, {
          onFullScan: () => {
            if (progressEnabled()) io.stderr.write('not near the time in its id; scanning the whole log\n');
          },
        });
        if (!event) throw new CliError(`Event ${eventId} not found`);
        io.stdout.write(`${JSON.stringify(toExportRecord(event), null, 2)}\n`);
      });
    });

  return command;
};
