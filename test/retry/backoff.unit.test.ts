import { backoffDelayMs, createRestarter, retryWithBackoff, RetryAbortedError } from '../../src/retry/backoff';

const fast = { firstMs: 1, maxMs: 4 };

describe('backoff', () => {
  it('When attempts go on, then the delay doubles up to the cap', () => {
    expect([1, 2, 3, 4, 5].map((attempt) => backoffDelayMs({ firstMs: 100, maxMs: 500 }, attempt))).toEqual([
      100, 200, 400, 500, 500,
    ]);
  });

  it('Given jitter, then every delay lies between half and all of the plain one', () => {
    for (let attempt = 1; attempt < 20; attempt += 1) {
      const delay = backoffDelayMs({ firstMs: 100, maxMs: 1000, jitter: true }, attempt);
      const plain = backoffDelayMs({ firstMs: 100, maxMs: 1000 }, attempt);
      expect(delay).toBeGreaterThanOrEqual(plain / 2);
      expect(delay).toBeLessThanOrEqual(plain);
    }
  });
});

describe('retryWithBackoff', () => {
  it('Given two failures, when retried, then the third attempt answers', async () => {
    const seen: number[] = [];
    const result = await retryWithBackoff(
      async (attempt) => {
        seen.push(attempt);
        if (attempt < 3) throw new Error('down');
        return 'up';
      },
      { backoff: fast },
    );
    expect(result).toBe('up');
    expect(seen).toEqual([1, 2, 3]);
  });

  it('Given a bound on attempts, when every attempt fails, then the last error is thrown', async () => {
    let calls = 0;
    await expect(
      retryWithBackoff(
        async (attempt) => {
          calls += 1;
          throw new Error(`failure ${attempt}`);
        },
        { backoff: fast, attempts: 3 },
      ),
    ).rejects.toThrow('failure 3');
    expect(calls).toBe(3);
  });

  it('Given an error that is not retryable, then it is thrown after one attempt', async () => {
    let calls = 0;
    await expect(
      retryWithBackoff(
        async () => {
          calls += 1;
          throw new TypeError('bad input');
        },
        { backoff: fast, retryable: (error) => !(error instanceof TypeError) },
      ),
    ).rejects.toBeInstanceOf(TypeError);
    expect(calls).toBe(1);
  });

  it('When the signal aborts during a backoff, then the wait ends at once with RetryAbortedError', async () => {
    const controller = new AbortController();
    const started = Date.now();
    const retrying = retryWithBackoff(
      async () => {
        throw new Error('down');
      },
      { backoff: { firstMs: 60_000, maxMs: 60_000 }, signal: controller.signal },
    );
    setTimeout(() => controller.abort(), 10);
    await expect(retrying).rejects.toBeInstanceOf(RetryAbortedError);
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});

describe('createRestarter', () => {
  it('Given a start that fails twice, then it is restarted until it succeeds, and stops there', async () => {
    let starts = 0;
    const delays: number[] = [];
    await new Promise<void>((resolve) => {
      const restarter = createRestarter({
        backoff: { firstMs: 1, maxMs: 8 },
        start: async () => {
          starts += 1;
          if (starts < 3) throw new Error('still down');
          resolve();
        },
        onRestartScheduled: (_error, delayMs) => delays.push(delayMs),
      });
      restarter.schedule(new Error('first failure'));
    });
    expect(starts).toBe(3);
    expect(delays).toEqual([1, 2, 4]);
  });

  it('When cancelled, then a scheduled restart never runs', async () => {
    let starts = 0;
    const restarter = createRestarter({
      backoff: { firstMs: 20, maxMs: 20 },
      start: async () => {
        starts += 1;
      },
    });
    restarter.schedule(new Error('down'));
    restarter.cancel();
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(starts).toBe(0);
  });

  it('Given a restart still running, when cancelled and that restart then fails, then no further restart is scheduled', async () => {
    let starts = 0;
    let failRunningStart: (error: Error) => void = () => {};
    const restarter = createRestarter({
      backoff: { firstMs: 1, maxMs: 1 },
      start: () => {
        starts += 1;
        return new Promise<void>((_resolve, reject) => {
          failRunningStart = reject;
        });
      },
    });
    restarter.schedule(new Error('down'));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(starts).toBe(1);
    restarter.cancel();
    failRunningStart(new Error('still down'));
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(starts).toBe(1);
  });
});
