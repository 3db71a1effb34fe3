type Waiter = { position: bigint; resolve: (reached: boolean) => void };

export type PositionWaiters = {
  /** Resolves true once `reached` reports `position` or later, false after `timeoutMs`. */
  wait: (position: bigint, timeoutMs: number, current: bigint | undefined) => Promise<boolean>;
  /** Resolves every waiter at or below `position`. */
  reached: (position: bigint) => void;
  /** Resolves every waiter false (the runner stopped). */
  releaseAll: () => void;
};

/** Callers waiting for a runner to pass a log position (read-your-writes, rebuild progress). */
export const createPositionWaiters = (): PositionWaiters => {
  let waiters: Waiter[] = [];

  const reached = (position: bigint) => {
    waiters = waiters.filter((waiter) => {
      if (position < waiter.position) return true;
      waiter.resolve(true);
      return false;
    });
  };

  const wait = (position: bigint, timeoutMs: number, current: bigint | undefined) =>
    new Promise<boolean>((resolve) => {
      if (current !== undefined && current >= position) return resolve(true);
      const waiter: Waiter = {
        position,
        resolve: (outcome) => {
          clearTimeout(timer);
          resolve(outcome);
        },
      };
      const timer = setTimeout(() => {
        waiters = waiters.filter((other) => other !== waiter);
        resolve(false);
      }, timeoutMs);
      waiters.push(waiter);
    });

  const releaseAll = () => {
    const released = waiters;
    waiters = [];
    released.forEach((waiter) => waiter.resolve(false));
  };

  return { wait, reached, releaseAll };
};
