// setTimeout cannot wait longer than this; longer waits re-arm.
const MAX_DELAY_MS = 2_147_483_647;

/**
 * Per-socket timers keyed by name (the token expiry, one access re-check per room).
 * A timer fires its callback only once the injected clock has reached `at`: when the
 * clock runs behind real time the timer re-arms, so tests that move the clock and
 * production agree on what "expired" means.
 */
export const createSocketTimers = (now: () => Date) => {
  const timers = new Map<string, Map<string, NodeJS.Timeout>>();

  const cancel = (socketId: string, name: string): void => {
    const own = timers.get(socketId);
    const timer = own?.get(name);
    if (!own || !timer) return;
    clearTimeout(timer);
    own.delete(name);
    if (own.size === 0) timers.delete(socketId);
  };

  const schedule = (socketId: string, name: string, at: number, fire: () => void): void => {
    cancel(socketId, name);
    const arm = () => {
      const delay = Math.min(Math.max(at - now().getTime(), 0), MAX_DELAY_MS);
      const timer = setTimeout(() => {
        if (now().getTime() < at) return arm();
        cancel(socketId, name);
        fire();
      }, delay);
      timer.unref();
      let own = timers.get(socketId);
      if (!own) {
        own = new Map();
        timers.set(socketId, own);
      }
      own.set(name, timer);
    };
    arm();
  };

  const cancelAll = (socketId: string): void => {
    timers.get(socketId)?.forEach((timer) => clearTimeout(timer));
    timers.delete(socketId);
  };

  const clear = (): void => {
    timers.forEach((own) => own.forEach((timer) => clearTimeout(timer)));
    timers.clear();
  };

  return { schedule, cancel, cancelAll, clear };
};

export type SocketTimers = ReturnType<typeof createSocketTimers>;
