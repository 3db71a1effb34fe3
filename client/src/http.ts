import { ApiError, NetworkError, type ApiErrorCode } from './errors';
import { newIdempotencyKey } from './idempotencyKey';
import { backoffDelayMs, DEFAULT_BACKOFF, delay, type Backoff } from './retry';

/**
 * Gives the current access token (or none for anonymous reads). Called again with
 * `forceRefresh: true` after the server answered UNAUTHORIZED or disconnected the socket
 * at the token's expiry: return a fresh token then.
 */
export type TokenProvider = (options: { forceRefresh: boolean }) => string | undefined | Promise<string | undefined>;

export type HttpOptions = {
  /** e.g. https://api.example.com (no trailing slash needed). */
  baseUrl: string;
  getToken?: TokenProvider;
  /** Defaults to the global fetch (Node 18+, browsers, React Native). */
  fetch?: typeof fetch;
  /** Attempts per call when no answer arrives or the server is briefly unavailable, first included (default 5). */
  attempts?: number;
  backoff?: Backoff;
  /** Per attempt; an attempt without an answer by then is retried like a dropped connection (default 15 s). */
  timeoutMs?: number;
};

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export type RequestSpec = {
  method: Method;
  path: string;
  query?: Record<string, string | number | undefined>;
  body?: unknown;
  /** Writes get a fresh key per call unless the app passes its own (e.g. stored with an outbox entry). */
  idempotencyKey?: string;
  signal?: AbortSignal;
};

export type Http = { request: <T>(spec: RequestSpec) => Promise<T> };

type ErrorBody = { message?: string; code?: ApiErrorCode; details?: unknown };

const urlOf = (baseUrl: string, spec: RequestSpec): string => {
  const query = Object.entries(spec.query ?? {})
    .filter((entry): entry is [string, string | number] => entry[1] !== undefined)
    .map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(String(value))}`)
    .join('&');
  return `${baseUrl.replace(/\/+$/, '')}${spec.path}${query ? `?${query}` : ''}`;
};

/** Network failures and 503 / in-flight answers are worth another attempt; every other answer is final. */
const isRetryable = (error: unknown): boolean =>
  error instanceof NetworkError ||
  (error instanceof ApiError && (error.code === 'SERVICE_UNAVAILABLE' || error.reason === 'IDEMPOTENCY_KEY_IN_FLIGHT'));

/**
 * fetch with the service's conventions: bearer token, JSON bodies, an `Idempotency-Key` on
 * every write, kept across its retries, so a retry after a lost answer returns the first
 * answer instead of writing twice; errors thrown as `ApiError` with `code` and `details`.
 */
export const createHttp = (options: HttpOptions): Http => {
  const fetchFn = options.fetch ?? ((input, init) => fetch(input, init));
  const attempts = options.attempts ?? 5;
  const backoff = options.backoff ?? DEFAULT_BACKOFF;
  const timeoutMs = options.timeoutMs ?? 15_000;

  const attempt = async (spec: RequestSpec, key: string | undefined, token: string | undefined): Promise<unknown> => {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (token) headers.authorization = `Bearer ${token}`;
    if (key) headers['idempotency-key'] = key;
    if (spec.body !== undefined) headers['content-type'] = 'application/json';
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    const onAbort = () => controller.abort();
    spec.signal?.addEventListener('abort', onAbort, { once: true });
    let response: Response;
    let text: string;
    try {
      response = await fetchFn(urlOf(options.baseUrl, spec), {
        method: spec.method,
        headers,
        body: spec.body === undefined ? undefined : JSON.stringify(spec.body),
        signal: controller.signal,
      });
      text = await response.text();
    } catch (error) {
      if (spec.signal?.aborted) throw error;
      throw new NetworkError(`${spec.method} ${spec.path}: no answer`, error);
    } finally {
      clearTimeout(timer);
      spec.signal?.removeEventListener('abort', onAbort);
    }
    const body: unknown = text ? JSON.parse(text) : undefined;
    if (response.ok) return body;
    const error = (body ?? {}) as ErrorBody;
    throw new ApiError(
      response.status,
      error.code ?? 'INTERNAL_ERROR',
      error.message ?? response.statusText,
      error.details,
    );
  };

  const request = async <T>(spec: RequestSpec): Promise<T> => {
    const key = spec.method === 'GET' ? undefined : (spec.idempotencyKey ?? newIdempotencyKey());
    let token = await options.getToken?.({ forceRefresh: false });
    let refreshed = false;
    for (let attemptNo = 1; ; attemptNo += 1) {
      try {
        return (await attempt(spec, key, token)) as T;
      } catch (error) {
        // One refresh per call: an expired token is replaced without the app noticing.
        if (error instanceof ApiError && error.code === 'UNAUTHORIZED' && options.getToken && !refreshed) {
          refreshed = true;
          token = await options.getToken({ forceRefresh: true });
          continue;
        }
        if (!isRetryable(error) || attemptNo >= attempts) throw error;
        await delay(backoffDelayMs(backoff, attemptNo), spec.signal);
      }
    }
  };

  return { request };
};
