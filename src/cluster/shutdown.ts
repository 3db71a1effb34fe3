import type http from 'node:http';
import net, { type Socket } from 'node:net';
import { ShuttingDownError } from '../errors';
import type { Logger } from '../logger';
import { sleep } from '../retry/backoff';

/** Resolves with the work's outcome, or after `ms` with a log line: a stop must not hang on an unreachable server. */
export const withDeadline = async (name: string, ms: number, work: () => Promise<unknown>, logger: Logger) => {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<'expired'>((resolve) => (timer = setTimeout(() => resolve('expired'), ms)));
  try {
    const outcome = await Promise.race([work().then(() => 'done' as const), expired]);
    if (outcome === 'expired') logger.warn({ step: name, ms }, 'shutdown step did not finish in time; going on');
  } catch (error) {
    logger.warn({ err: error, step: name }, 'shutdown step failed; going on');
  } finally {
    clearTimeout(timer);
  }
};

const QUIET_MS = 100;

/** Requests that change nothing: quick, and safe to cut, so they are served until the end. */
const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

type Connection = { response: http.ServerResponse | undefined; served: number; ending: boolean };

/**
 * Drains the server's HTTP connections on shutdown: every running request is answered in
 * full, with `Connection: close`; a keep-alive connection is ended gracefully once idle
 * after a response; only after `graceMs` is anything still open cut. So that a write runs
 * only if it is answered:
 * - new writes run for the first half of the grace (the load balancer may not have taken
 *   the node out yet), then are refused with 503 (nothing done, `Retry-After`), so no write
 *   still runs at the cut;
 * - a request on a connection the drain has ended (sent before the end reached its client)
 *   is not run, and the connection closes without an answer, which clients take for a
 *   request not run.
 *
 * The listener closes last, once no connection is open and none arrived for a moment:
 * closing it resets every connection the kernel has queued, and a busy event loop accepts
 * queued connections only gradually. (Node's own `server.close()` would also destroy every
 * connection without a request in progress, including one accepted a moment ago whose
 * request is not parsed yet: its client would see a reset and retry a write that may have
 * been stored.) Upgraded connections (WebSockets) and Socket.io's long polls are not
 * counted; the realtime gateway closes them. Create it after Socket.io attached (which
 * re-wraps 'request' listeners), and put `gate` first in the Express app: it sees every
 * request before anything can answer or run it.
 */
export const createHttpDrain = (server: http.Server) => {
  const connections = new Map<Socket, Connection>();
  let draining = false;
  let refuseFrom = Infinity;
  let lastConnectionAt = 0;
  server.on('connection', (socket: Socket) => {
    lastConnectionAt = Date.now();
    connections.set(socket, { response: undefined, served: 0, ending: false });
    socket.once('close', () => connections.delete(socket));
  });
  server.on('upgrade', (req: http.IncomingMessage) => connections.delete(req.socket));
  server.on('request', (req: http.IncomingMessage) => {
    // Socket.io's long-polling requests stay open by design; the realtime gateway closes them.
    if (req.url?.startsWith('/socket.io/')) connections.delete(req.socket);
  });

  const gate = (req: http.IncomingMessage, res: http.ServerResponse, next: (error?: unknown) => void) => {
    const connection = connections.get(req.socket);
    if (connection?.ending) return void req.socket.destroy();
    if (connection) {
      connection.response = res;
      res.once('close', () => {
        if (connection.response === res) connection.response = undefined;
        connection.served += 1;
      });
    }
    if (!draining) return next();
    res.setHeader('connection', 'close');
    next(Date.now() >= refuseFrom && !READS.has(req.method ?? '') ? new ShuttingDownError() : undefined);
  };

  /** end(), not destroy(): a response still in the socket's buffer must reach the client. */
  const endIdle = () => {
    for (const [socket, connection] of connections) {
      const response = connection.response;
      if (response && !response.headersSent) response.setHeader('connection', 'close');
      // One accepted a moment ago may hold a request not parsed yet (the loop may be busy): it is not idle.
      if (response || connection.served === 0 || connection.ending) continue;
      connection.ending = true;
      socket.end();
    }
  };

  // Checked in the check phase, right after a poll phase has accepted what the kernel queued.
  const afterPoll = () => new Promise((resolve) => setImmediate(resolve));

  const drain = async (graceMs: number): Promise<void> => {
    draining = true;
    refuseFrom = Date.now() + graceMs / 2;
    // Socket.io's close calls server.close(), whose sweep would reset the fresh ones too.
    server.closeIdleConnections = endIdle;
    if (!server.listening) return;
    const until = Date.now() + graceMs;
    for (;;) {
      endIdle();
      await sleep(QUIET_MS / 4);
      await afterPoll();
      if (connections.size === 0 && Date.now() - lastConnectionAt >= QUIET_MS) break;
      if (Date.now() >= until) {
        connections.forEach((_, socket) => socket.destroy());
        break;
      }
    }
    // net.Server's close: stops listening, without http's idle sweep. Not awaited: its callback
    // also waits for upgraded WebSockets, which the realtime gateway closes after this.
    net.Server.prototype.close.call(server);
  };

  return { drain, gate };
};
