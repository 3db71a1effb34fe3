import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(__dirname, '../..');

export type ServerProcess = {
  url: string;
  child: ChildProcess;
  output: () => string;
  /** Resolves with the exit code and how long after `signal` the process took to exit. */
  signal: (signal: NodeJS.Signals) => Promise<{ code: number | null; ms: number }>;
  /** SIGTERM, resolved once the process has exited (at once if it already has). */
  stop: () => Promise<void>;
};

/**
 * The real entry point (`src/main.ts`) in its own process. tsx runs as a loader, not as its
 * CLI (which forks): a signal then reaches the server itself. Resolves once it listens.
 */
export const startServerProcess = (env: Record<string, string>): Promise<ServerProcess> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'src/main.ts')], {
      cwd: root,
      env: { ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'info', PORT: '0', HOST: '127.0.0.1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
    let listened = false;
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const listening = /"url":"(http:[^"]+)".*communication backend listening/.exec(output);
      if (listening && !listened) {
        listened = true;
        resolve({
          url: listening[1],
          child,
          output: () => output,
          signal: async (signal) => {
            const sentAt = Date.now();
            child.kill(signal);
            const code = await exited;
            return { code, ms: Date.now() - sentAt };
          },
          stop: async () => {
            if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
            await exited;
          },
        });
      }
    });
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    void exited.then((code) => listened || reject(new Error(`server exited (${code}) before listening:\n${output}`)));
  });

/** A server process on `dataDir` (several on one dir share its stores, as nodes of a cluster do). */
export const spawnServer = (dataDir: string, env: Record<string, string> = {}) =>
  startServerProcess({ DATA_DIR: dataDir, ...env });
