import type { Logger } from '../logger';
import type { Fence, LeaseStore } from '../readModels/leases';

/** Where a process stands for one leased role: doing the work, or waiting to take it over. */
export type LeaseRole = 'active' | 'standby' | 'stopped';

export type LeaseTiming = {
  /** How long a lease lasts without renewal: a dead holder's work resumes elsewhere after about this long. */
  ttlMs: number;
  /** How often the holder renews (well below ttlMs, so one late renewal does not lose it). */
  renewMs: number;
  /** How often a standby tries to take the lease. */
  pollMs: number;
};

export type LeaseKeeper = {
  start: () => Promise<void>;
  /** Stops the work (when active) and releases the lease, so a standby takes over at once. */
  stop: () => Promise<void>;
  role: () => LeaseRole;
  /** The fence of the current term; undefined unless active. */
  fence: () => Fence | undefined;
  /** A fenced write was refused: the lease is gone; stop the work and stand by. Never await it from the work. */
  lost: () => void;
};

/**
 * Keeps a process active for a leased role or standing by for it: a standby tries to
 * acquire every `pollMs`; the holder renews every `renewMs` and starts the work
 * (`activate`) with its fence. When a renewal is refused, or fails until the lease must
 * have expired (by this process's monotonic clock, counted from before the last good
 * renewal was sent), or a fenced write is refused, it stops the work (`deactivate`, at a
 * batch boundary) and stands by again.
 */
export const createLeaseKeeper = (deps: {
  leases: LeaseStore;
  name: string;
  owner: string;
  timing: LeaseTiming;
  logger: Logger;
  activate: (fence: Fence) => Promise<void>;
  deactivate: () => Promise<void>;
  /** Entering standby: at start without the lease, and after the work stopped on a loss. */
  standBy?: () => Promise<void>;
}): LeaseKeeper => {
  const { leases, name, owner, timing } = deps;
  const log = { lease: name, owner };
  let role: LeaseRole = 'stopped';
  let fence: Fence | undefined;
  let validUntil = 0;
  let timer: NodeJS.Timeout | undefined;
  // Ticks, losses and the stop run one after the other.
  let serial: Promise<void> = Promise.resolve();
  const inTurn = (work: () => Promise<void>) => {
    serial = serial
      .then(work)
      .catch((error: unknown) => deps.logger.error({ err: error, ...log }, 'lease step failed'));
    return serial;
  };

  // The fence stays until the work has stopped: its last flush is still checked by the store.
  const standBy = async (reason: string) => {
    if (role !== 'active') return;
    role = 'standby';
    deps.logger.warn({ ...log, reason }, 'lease lost: standing by');
    await deps.deactivate();
    fence = undefined;
    await deps.standBy?.();
  };

  const tryAcquire = async () => {
    const sentAt = performance.now();
    const lease = await leases.acquire(name, owner, timing.ttlMs).catch((error: unknown) => {
      deps.logger.warn({ err: error, ...log }, 'lease acquire failed');
      return undefined;
    });
    if (!lease || role !== 'standby') return;
    // Active (for progress and /ready) once the work has started; its writes carry the fence meanwhile.
    fence = { lease: name, token: lease.token };
    validUntil = sentAt + timing.ttlMs;
    try {
      await deps.activate(fence);
      role = 'active';
      deps.logger.info({ ...log, token: lease.token }, 'lease acquired: active');
    } catch (error) {
      deps.logger.error({ err: error, ...log }, 'starting the leased work failed; standing by');
      await deps.deactivate().catch(() => undefined);
      fence = undefined;
      await leases.release(name, owner, lease.token).catch(() => undefined);
    }
  };

  const renew = async (current: Fence) => {
    const sentAt = performance.now();
    const lease = await leases.renew(name, owner, current.token, timing.ttlMs).then(
      (renewed) => renewed ?? ('refused' as const),
      (error: unknown) => {
        deps.logger.warn({ err: error, ...log }, 'lease renewal failed');
        return undefined;
      },
    );
    if (lease === 'refused') return standBy('renewal refused');
    if (lease) validUntil = sentAt + timing.ttlMs;
    else if (performance.now() >= validUntil) await standBy('lease expired while the store was unreachable');
  };

  const tick = async () => {
    if (role === 'standby') await tryAcquire();
    else if (role === 'active' && fence) await renew(fence);
  };

  const schedule = () => {
    if (role === 'stopped' || timer) return;
    timer = setTimeout(
      () => {
        timer = undefined;
        void inTurn(tick).then(schedule);
      },
      role === 'active' ? timing.renewMs : timing.pollMs,
    );
    timer.unref();
  };

  return {
    start: async () => {
      role = 'standby';
      await inTurn(async () => {
        await tick();
        if (role === 'standby') await deps.standBy?.();
      });
      schedule();
    },
    stop: async () => {
      await inTurn(async () => {
        clearTimeout(timer);
        timer = undefined;
        const held = role === 'active' ? fence : undefined;
        role = 'stopped';
        if (!held) return;
        deps.logger.info({ ...log }, 'stopping: releasing the lease');
        await deps.deactivate();
        fence = undefined;
        await leases.release(name, owner, held.token);
      });
    },
    role: () => role,
    fence: () => fence,
    lost: () => {
      void inTurn(() => standBy('a fenced write was refused'));
    },
  };
};
