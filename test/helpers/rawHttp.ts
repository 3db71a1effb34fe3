import http from 'node:http';

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

/** One request with a JSON answer; the body type defaults to `any` (test bodies are checked field by field). */
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
