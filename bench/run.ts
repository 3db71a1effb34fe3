import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import cliProgress from 'cli-progress';
import type { BenchDefinition, BenchProgress, BenchResult } from './benchTypes';

/**
 * Usage: npm run bench [-- <name filter>] — runs every bench/*.bench.ts whose file name
 * contains the filter, each in a fresh process of its own (no heap, timers or sockets left
 * over from the bench before it), and writes one report of all of them.
 */

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
  const header =
    '| bench | result | value | unit | baseline | ratio | target | met |\n|---|---|---:|---|---|---:|---|---|';
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

type BenchOutput = { name: string; results: BenchResult[] };

/** Child mode: run one bench file, write its results to `outFile`. */
const runOne = async (file: string, outFile: string) => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { bench } = require(file) as { bench: BenchDefinition };
  console.log(`\n▶ ${bench.name} (${path.basename(file)})`);
  const progress = createProgress();
  try {
    const output: BenchOutput = { name: bench.name, results: await bench.run(progress) };
    fs.writeFileSync(outFile, JSON.stringify(output));
  } finally {
    progress.done();
  }
};

const runInChild = (file: string): Promise<BenchOutput> => {
  const outFile = path.join(os.tmpdir(), `bench-${process.pid}-${path.basename(file)}.json`);
  return new Promise((resolve, reject) => {
    // Same Node flags (the tsx loader), progress straight to this terminal.
    const child = spawn(process.execPath, [...process.execArgv, __filename, '--one', file, outFile], {
      stdio: 'inherit',
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`${path.basename(file)} exited with ${code}`));
      const output = JSON.parse(fs.readFileSync(outFile, 'utf8')) as BenchOutput;
      fs.rmSync(outFile, { force: true });
      resolve(output);
    });
  });
};

const main = async () => {
  if (process.argv[2] === '--one') return runOne(process.argv[3], process.argv[4]);
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
    // The benches before this one leave up to hundreds of MB of dirty pages; written back
    // during this one, they would stall its fsyncs (durable appends) and skew its latencies.
    spawnSync('sync');
    const { name, results } = await runInChild(file);
    report.results.push(...results.map((result) => ({ ...result, bench: name })));
  }
  // A filtered run leaves the full run's report (the one the README quotes) alone.
  const baseName = filter ? `latest-${filter}` : 'latest';
  fs.mkdirSync(resultsDir, { recursive: true });
  fs.writeFileSync(path.join(resultsDir, `${baseName}.json`), `${JSON.stringify(report, null, 2)}\n`);
  const markdown = toMarkdown(report);
  fs.writeFileSync(path.join(resultsDir, `${baseName}.md`), markdown);
  console.log(`\n${markdown}`);
  console.log(`Written to ${path.relative(process.cwd(), resultsDir)}/${baseName}.{json,md}`);
  const missed = report.results.filter((result) => result.met === false);
  if (missed.length > 0) console.log(`Targets missed: ${missed.map((result) => result.name).join(', ')}`);
};

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
