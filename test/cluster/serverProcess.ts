import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';

const root = path.resolve(__dirname, '../..');

export type ServerProcess = {
  url: string;
  child: ChildProcess;
  output: () => string;
  /** Resolves with the exit code and how long after `signal` the process took to exit. */
  signal: (signal: NodeJS.Signals) => Promise<{ code: number | null; ms: number }>;
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
        });
      }
    });
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    void exited.then((code) => listened || reject(new Error(`server exited (${code}) before listening:\n${output}`)));
  });

export type RawOutcome = { status: number; body: string } | { error: string };

/**
 * One request on a connection of its own (no keep-alive pool whose idle sockets may be
 * closed under a new request), so every failure is the server's doing.
 */
export const rawRequest = (
  url: string,
  method: string,
  requestPath: string,
  token?: string,
  body?: unknown,
  /** Called once the connection is established and the whole request handed to it. */
  onSent?: () => void,
) =>
  new Promise<RawOutcome>((resolve) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const request = http.request(
      `${url}${requestPath}`,
      {
        method,
        agent: false,
        headers: {
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...(payload ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {}),
        },
      },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: text }));
        response.on('error', (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? error.message }));
      },
    );
    request.on('error', (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? error.message }));
    if (onSent) {
      // 'finish' alone may come before the connection exists (the request waits in Node's buffer).
      let pending = 2;
      const step = () => (pending -= 1) === 0 && onSent();
      request.once('finish', step);
      request.once('socket', (socket) => socket.once('connect', step));
    }
    request.end(payload);
  });

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- test bodies are checked field by field
export const json = async <T = any>(
  url: string,
  method: string,
  requestPath: string,
  token?: string,
  body?: unknown,
) => {
  const outcome = await rawRequest(url, method, requestPath, token, body);
  if ('error' in outcome) throw new Error(`${method} ${requestPath}: ${outcome.error}`);
  return { status: outcome.status, body: (outcome.body ? JSON.parse(outcome.body) : undefined) as T };
};
