import { Command, Option } from 'commander';
import pino from 'pino';
import type { Projection } from '../projections/projection';
import { dropOldVersions, REBUILD_BATCH_SIZE, rebuildProjections } from '../ops/rebuildProjection';
import { fetchServerView, reportProjections, type ProjectionReport } from '../ops/reportProjections';
import { CliError, type CliIo } from './cliIo';
import { withStores } from './openStores';
import { createProgressBar } from './progressBar';
import { parseCount } from './parseOptions';

const selectProjections = (all: Projection[], names: string[]): Projection[] => {
  if (names.length === 0) return all;
  const unknown = names.filter((name) => !all.some((projection) => projection.name === name));
  if (unknown.length > 0) {
    throw new CliError(
      `Unknown projection(s): ${unknown.join(', ')}. Known: ${all.map((p) => p.name).join(', ') || '(none)'}`,
    );
  }
  return all.filter((projection) => names.includes(projection.name));
};

const formatLag = (events: number, bounded: boolean) => `${events}${bounded ? '+' : ''}`;

const formatTable = (reports: ProjectionReport[]): string => {
  const header = ['PROJECTION', 'VERSION', 'CHECKPOINT', 'HEAD', 'LAG_EVENTS', 'LAG_SECONDS', 'STATE', 'DETAIL'];
  const rows = reports.map((report) => [
    report.name,
    `v${report.activeVersion}`,
    report.checkpoint ?? '-',
    report.head ?? '-',
    formatLag(report.lagEvents, report.lagEventsBounded),
    report.lagSeconds.toFixed(1),
    report.state,
    [
      report.rebuild
        ? `rebuild v${report.rebuild.version} at ${report.rebuild.checkpoint ?? '0'} (${formatLag(report.rebuild.lagEvents, report.rebuild.lagEventsBounded)} behind)`
        : null,
      report.detail,
    ]
      .filter(Boolean)
      .join('; '),
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column].length)));
  return (
    [header, ...rows]
      .map((row) =>
        row
          .map((cell, column) => cell.padEnd(widths[column]))
          .join('  ')
          .trimEnd(),
      )
      .join('\n') + '\n'
  );
};

export const createProjectionsCommand = (io: CliIo, progressEnabled: () => boolean): Command => {
  const command = new Command('projections').description('Watch, rebuild and clean up projections (read models)');

  command
    .command('status')
    .description('Per projection: active version, checkpoint, log head, lag (events, seconds) and state')
    .option(
      '--server <url>',
      "the server whose runners' state to show (default: COMMCTL_SERVER_URL or http://127.0.0.1:$PORT)",
    )
    .option('--lag-bound <n>', 'stop counting lag events at this many', parseCount, 100_000)
    .option('--json', 'print JSON instead of a table')
    .action(async (options: { server?: string; lagBound: number; json?: boolean }) => {
      await withStores(io, async (stores) => {
        const serverUrl = options.server ?? io.env.COMMCTL_SERVER_URL ?? `http://127.0.0.1:${stores.config.port}`;
        const reports = await reportProjections({
          eventStore: stores.eventStore,
          readModels: stores.readModels,
          names: stores.projections.map((projection) => projection.name),
          server: await fetchServerView(serverUrl, stores.config.limits.opsToken),
          lagBound: options.lagBound,
        });
        io.stdout.write(options.json ? `${JSON.stringify({ projections: reports }, null, 2)}\n` : formatTable(reports));
      });
    });

  command
    .command('rebuild')
    .description(
      'Build new versions from position 0 beside the live ones, catch up, then switch atomically. ' +
        'All projections named are built from one read of the log. ' +
        "Interrupt any time (Ctrl-C): re-running resumes from the new versions' checkpoints.",
    )
    .argument('[names...]', 'projections to rebuild (default: all)')
    .addOption(
      new Option('--batch-size <n>', 'log events per read-model transaction')
        .argParser(parseCount)
        .default(REBUILD_BATCH_SIZE),
    )
    .action(async (names: string[], options: { batchSize: number }) => {
      await withStores(io, async (stores) => {
        const logger = pino({ level: io.env.LOG_LEVEL ?? 'warn' }, io.stderr);
        const selected = selectProjections(stores.projections, names);
        const outcomes = await rebuildProjections({
          eventStore: stores.eventStore,
          readModels: stores.readModels,
          projections: selected,
          logger,
          signal: io.signal,
          batchSize: options.batchSize,
          progress: createProgressBar(io, {
            label: `rebuild ${selected.map((projection) => projection.name).join(', ')}`,
            unit: 'positions',
            enabled: progressEnabled(),
          }),
        });
        for (const outcome of outcomes) {
          const resumed =
            outcome.resumedFrom === undefined ? 'from position 0' : `resumed after position ${outcome.resumedFrom}`;
          if (!outcome.activated) {
            throw new CliError(
              `Interrupted: ${outcome.projection} v${outcome.version} is not active yet (${resumed}); run the same command again to resume.`,
              130,
            );
          }
          io.stdout.write(
            `${outcome.projection}: v${outcome.version} active (was v${outcome.previousVersion}; ${resumed}; ${outcome.eventsApplied} events applied; ` +
              `head was ${outcome.headAtStart ?? 'empty'} at start, caught up to ${outcome.caughtUpTo ?? 'nothing'}). ` +
              `Old version kept until \`projections drop-old\`.\n`,
          );
        }
      });
    });

  command
    .command('drop-old')
    .description('Drop every version older than the active one (after a rebuild was checked)')
    .argument('[names...]', 'projections (default: all)')
    .action(async (names: string[]) => {
      await withStores(io, async (stores) => {
        for (const projection of selectProjections(stores.projections, names)) {
          const dropped = await dropOldVersions(stores.readModels, projection.name);
          io.stdout.write(
            `${projection.name}: ${dropped.length ? `dropped ${dropped.map((version) => `v${version}`).join(', ')}` : 'nothing to drop'}\n`,
          );
        }
      });
    });

  return command;
};
