import http from 'node:http';
import { retryWithBackoff, sleep } from '../../src/retry/backoff';
import { checkHttpResponse } from '../helpers/contractCheck';

export type Answer = { status: number; body: any; headers: Headers };
export type WriteOptions = { token: string; body?: unknown; key?: string };

/** One HTTP write with an optional Idempotency-Key. */
export const sendWrite = async (
  baseUrl: string,
  method: string,
  path: string,
  { token, body, key }: WriteOptions,
): Promise<Answer> => {
  const headers: Record<string, string> = { authorization: `Bearer ${token}` };
  if (key !== undefined) headers['idempotency-key'] = key;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  const parsed: unknown = text ? JSON.parse(text) : undefined;
  checkHttpResponse(method, path, response.status, parsed, response.headers.get('content-type') ?? '');
  return { status: response.status, body: parsed, headers: response.headers };
};

/** Retries while the key is still in flight (409), as a client told `Retry-After` would. */
export const retryWrite = (baseUrl: string, method: string, path: string, options: WriteOptions): Promise<Answer> =>
  retryWithBackoff(
    async () => {
      const answer = await sendWrite(baseUrl, method, path, options);
      if (answer.status === 409 && answer.body?.details?.reason === 'IDEMPOTENCY_KEY_IN_FLIGHT')
        throw new Error('in flight');
      return answer;
    },
    { backoff: { firstMs: 20, maxMs: 200 }, attempts: 50 },
  );

/**
 * Sends a write and hangs up without reading a byte of the answer once `committed()`
 * says the server appended it: the app never learns what happened.
 */
export const sendAndLoseAnswer = async (
  baseUrl: string,
  method: string,
  path: string,
  { token, body, key }: WriteOptions,
  committed: () => Promise<boolean>,
): Promise<void> => {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  const request = http.request(`${baseUrl}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(key === undefined ? {} : { 'idempotency-key': key }),
      ...(payload === undefined
        ? {}
        : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }),
    },
  });
  request.on('error', () => undefined);
  request.end(payload);
  for (let waited = 0; !(await committed()); waited += 10) {
    if (waited > 10_000) throw new Error('the server never committed the write');
    await sleep(10);
  }
  request.destroy();
};
