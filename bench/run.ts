import fs from 'node:fs';
import path from 'node:path';
import cliProgress from 'cli-progress';
import type { BenchDefinition, BenchProgress, BenchResult } from './benchTypes';

/** Usage: npm run bench [-- <name filter>] — runs every bench/*.bench.ts whose file or bench name contains the filter. */

type Report = { startedAt: string; node: string; platform: string; results: Array<BenchResult & { bench: string }> };

const benchDir = __dirname;
const resultsDir = path.join(benchDir, 'results');

const discoverBenches = (filter: string | undefined): string[] =>
  fs
    .readdirSync(benchDir)
    .filter((file) => file.endsWith('.bench.ts'))
    .filter((file) => !filter || file.toLowerCase().includes(filter.toLowerCase()))
    .sort()
    .map((file) => path.join(benchDir, file));

const createProgress = (): BenchProgress & { done: () => void } => {
  let bar: cliProgress.SingleBar | undefined;
  const finishBar = () => {
    bar?.stop();
    bar = undefined;
  };
  return {
    phase: (label, total) => {
      finishBar();
      bar = new cliProgress.SingleBar(
        { format: `  ${label.padEnd(44)} [{bar}] {percentage}% {value}/{total}`, hideCursor: true },
        cliProgress.Presets.shades_classic,
      );
      bar.start(total, 0);
      const current = bar;
      return (increment = 1) => current.increment(increment);
    },
    log: (message) => {
      finishBar();
      console.log(`  ${message}`);
    },
    done: finishBar,
  };
};

const formatNumber = (value: number | undefined): string =>
  value === undefined ? '' : value >= 100 ? Math.round(value).toLocaleString('en-US') : value.toFixed(2);

export const toMarkdown = (report: Report): string => {
  const header = '| bench | result | value | unit | baseline | ratio | target | met |\n|---|---|---:|---|---|---:|---|---|';
  const rows = report.results.map((result) =>
    [
      result.bench,
      result.name,
      formatNumber(result.value),
      result.unit,
      result.baseline ? `${result.baseline.name}: ${formatNumber(result.baseline.value)}` : '',
      formatNumber(result.ratio),
      result.target ?? '',
      result.met === undefined ? '' : result.met ? 'yes' : 'NO',
    ].join(' | '),
  );
  return `Run ${report.startedAt} on Node ${report.node} (${report.platform})\n\n${header}\n${rows
    .map((row) => `| ${row} |`)
    .join('\n')}\n`;
};

const main = async () => {
  const filter = process.argv[2];
  const files = discoverBenches(filter);
  if (files.length === 0) throw new Error(`No bench/*.bench.ts matches "${filter ?? ''}"`);
  const report: Report = {
    startedAt: new Date().toISOString(),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    results: [],
  };
  for (const file of files) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { bench } = require(file) as { bench: BenchDefinition };
    console.log(`\n▶ ${bench.name} (${path.basename(file)})`);
    const progress = createProgress();
    try {
      const results = await bench.run(progress);
      report.results.push(...results.map((result) => ({ ...result, bench: bench.name })));
    } finally {
      progress.done();
    }
  }
  fs.mkdirSync(resultsDir, { recursive: true });
  fs.writeFileSync(path.join(resultsDir, 'latest.json'), `${JSON.stringify(report, null, 2)}\n`);
  const markdown = toMarkdown(report);
  fs.writeFileSync(path.join(resultsDir, 'latest.md'), markdown);
  console.log(`\n${markdown}`);
  console.log(`Written to ${path.relative(process.cwd(), resultsDir)}/latest.{json,md}`);
  const missed = report.results.filter((result) => result.met === false);
  if (missed.length > 0) console.log(`Targets missed: ${missed.map((result) => result.name).join(', ')}`);
};

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
