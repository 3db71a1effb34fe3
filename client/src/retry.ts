/** Exponential backoff with jitter: `firstMs` doubling to `maxMs`. */
export type Backoff = { firstMs: number; maxMs: number };

export const DEFAULT_BACKOFF: Backoff = { firstMs: 200, maxMs: 5000 };

export const backoffDelayMs = (backoff: Backoff, attempt: number): number =>
  Math.min(backoff.maxMs, backoff.firstMs * 2 ** Math.max(0, attempt - 1)) * (0.5 + Math.random() / 2);

/** A timer-based sleep: the runtime path uses no Node module (browsers and React Native lack them). */
export const delay = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve, reject) => {
    const aborted = () => new Error('aborted');
    if (signal?.aborted) return reject(aborted());
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(aborted());
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
