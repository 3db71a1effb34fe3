import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(__dirname, '../..');

export type ServerProcess = { url: string; child: ChildProcess; stop: () => Promise<void> };

const stopServer = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });

/** `src/main.ts` in a process of its own, as `npm start` runs it; resolves with its URL once it listens. */
export const spawnServer = (dataDir: string, env: Record<string, string> = {}) =>
  new Promise<ServerProcess>((resolve, reject) => {
    // tsx as a loader, not its CLI: the CLI forks, and a SIGKILL (a node loss) would only reach the wrapper.
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'src/main.ts')], {
      cwd: root,
      env: {
        ...process.env,
        NODE_ENV: 'test',
        LOG_LEVEL: 'info',
        PORT: '0',
        HOST: '127.0.0.1',
        DATA_DIR: dataDir,
        ...env,
      },
    });
    let output = '';
    child.stderr.on('data', (chunk) => (output += chunk));
    child.stdout.on('data', (chunk) => {
      output += chunk;
      const listening = /"url":"(http:[^"]+)".*communication backend listening/.exec(output);
      if (listening) resolve({ url: listening[1], child, stop: () => stopServer(child) });
    });
    child.once('exit', (code) => reject(new Error(`server exited with ${code}: ${output}`)));
  });
