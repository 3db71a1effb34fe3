import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createSqliteEventStore } from '../../src/eventStore/sqlite';
import { makeTempDir } from '../helpers/testApp';

const root = path.resolve(__dirname, '../..');
const fixture = path.join(__dirname, 'fixtures/appendUntilKilled.js');

type Run = { issued: string[][]; acked: Set<string> };

/** Runs the appending process until `acks` appends are acknowledged, then kills it with SIGKILL. */
const appendThenKill = (nodeArgs: string[], storeModule: string, logPath: string, acks: number) =>
  new Promise<Run>((resolve, reject) => {
    // tsx as a loader, not its CLI: the CLI forks, and SIGKILL would only reach the wrapper.
    const child = spawn(process.execPath, [...nodeArgs, fixture, storeModule, logPath], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const run: Run = { issued: [], acked: new Set() };
    let buffered = '';
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        const [kind, ids] = line.split(' ');
        if (kind === 'issued') run.issued.push(ids.split(','));
        if (kind === 'acked') ids.split(',').forEach((id) => run.acked.add(id));
      }
      if (run.acked.size >= acks * 3 && !child.killed) child.kill('SIGKILL');
    });
    child.once('exit', (_code, signal) =>
      signal === 'SIGKILL' ? resolve(run) : reject(new Error(`appender exited on its own: ${stderr}`)),
    );
  });

const expectEveryAckedAppendWholeAndNoneHalf = async (logPath: string, run: Run) => {
  const store = createSqliteEventStore({ path: logPath });
  try {
    const stored = new Set((await store.readAll()).map((event) => event.id));
    const acked = run.issued.filter((ids) => run.acked.has(ids[0]));
    const inFlight = run.issued.filter((ids) => !run.acked.has(ids[0]));
    expect(acked.length).toBeGreaterThan(0);
    // Killed with appends issued and not yet answered: a group was on its way to the disk.
    expect(inFlight.length).toBeGreaterThan(0);
    expect(acked.filter((ids) => !ids.every((id) => stored.has(id)))).toEqual([]);
    expect(inFlight.filter((ids) => ids.some((id) => stored.has(id)) && !ids.every((id) => stored.has(id)))).toEqual(
      [],
    );
    expect(stored.size % 3).toBe(0);
  } finally {
    await store.close();
  }
};

describe('Given a process appending to the SQLite event log through its writer thread', () => {
  it('When it is killed (SIGKILL) with groups in flight, running from the TypeScript sources, then every acknowledged append survives and none is half-written', async () => {
    const logPath = path.join(makeTempDir('killed-'), 'events.sqlite');
    const run = await appendThenKill(['--import', 'tsx'], path.join(root, 'src/eventStore/sqlite.ts'), logPath, 300);
    await expectEveryAckedAppendWholeAndNoneHalf(logPath, run);
  });

  it('When it is killed (SIGKILL) with groups in flight, running from the compiled JavaScript, then every acknowledged append survives and none is half-written', async () => {
    const outDir = makeTempDir('killed-dist-');
    // Only the event store and what it imports: the worker must start from compiled .js files.
    execFileSync(
      process.execPath,
      [
        require.resolve('typescript/bin/tsc'),
        ...['--outDir', outDir, '--rootDir', path.join(root, 'src'), '--module', 'commonjs', '--target', 'ES2022'],
        ...['--strict', '--esModuleInterop', '--skipLibCheck', '--types', 'node'],
        // The worker is loaded by file name, not imported: it is compiled as a file of its own.
        ...['sqlite.ts', 'sqliteWriterWorker.ts'].map((file) => path.join(root, 'src/eventStore', file)),
      ],
      { cwd: root },
    );
    // The compiled files resolve their packages from the repository's node_modules.
    fs.symlinkSync(path.join(root, 'node_modules'), path.join(outDir, 'node_modules'));
    const logPath = path.join(outDir, 'events.sqlite');
    const run = await appendThenKill([], path.join(outDir, 'eventStore/sqlite.js'), logPath, 300);
    await expectEveryAckedAppendWholeAndNoneHalf(logPath, run);
  }, 60_000);
});
