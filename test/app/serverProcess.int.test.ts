import { spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { makeTempDir } from '../helpers/testApp';

const root = path.resolve(__dirname, '../..');

/** The real entry point (`src/main.ts`) in its own process, as `npm start` runs it. */
const runServer = (env: Record<string, string>) =>
  new Promise<{ code: number | null; output: string }>((resolve) => {
    const child = spawn(path.join(root, 'node_modules/.bin/tsx'), [path.join(root, 'src/main.ts')], {
      env: { ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'info', DATA_DIR: makeTempDir('main-'), ...env },
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    // A server that does not exit would hang here; jest's timeout then fails the test.
    child.on('exit', (code) => resolve({ code, output }));
  });

describe('Given the server entry point', () => {
  it('When its port is taken, then it logs why and exits 1 instead of lingering half started', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as net.AddressInfo;
    try {
      const run = await runServer({ PORT: String(port), HOST: '127.0.0.1' });
      expect(run.code).toBe(1);
      expect(run.output).toContain('start failed');
      expect(run.output).toContain('EADDRINUSE');
    } finally {
      blocker.close();
    }
  }, 20_000);

  it('When the configuration is invalid, then it names the setting and exits 78', async () => {
    const run = await runServer({ PORT: 'not-a-port' });
    expect(run.code).toBe(78);
    expect(run.output).toContain('PORT');
  }, 20_000);

  it('When LOG_LEVEL names no level, then it is a configuration error too: exit 78 naming LOG_LEVEL, no stack trace', async () => {
    const run = await runServer({ LOG_LEVEL: 'bogus' });
    expect(run.code).toBe(78);
    expect(run.output).toContain(
      'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent, got "bogus"',
    );
    expect(run.output).not.toMatch(/\n\s+at /);
  }, 20_000);
});
