import type { EventStore, Subscription } from '../eventStore/eventStore';
import type { Logger } from '../logger';
import { allProjections } from '../projections/allProjections';
import type { Projection } from '../projections/projection';
import type { ProjectionStatus } from '../projections/projectionRunnerTypes';
import type { Projections } from '../projections/projections';
import type { ReadModelStore } from '../readModels/readModelStore';
import { createRestarter } from '../retry/backoff';

type Tracked = {
  projection: Projection;
  types: Set<string>;
  version: number;
  checkpoint: bigint | undefined;
  /** Positions of events this projection handles, seen in the log above its stored checkpoint. */
  pending: bigint[];
  /** Too many pending to track: only the stored checkpoint counts until it passes `seen`. */
  overflow: boolean;
};

const MAX_PENDING = 100_000;

const atOrAfter = (position: bigint | undefined, target: bigint) => position !== undefined && position >= target;

/**
 * The projections' progress as a process that does not run them sees it (an `api` node):
 * the checkpoints stored in the shared read-model store, polled (fast while a write waits),
 * plus its own follow of the log. A projection has passed a position when its checkpoint
 * has, or when the log up to that position holds no event of a type it handles above its
 * checkpoint: the projector stores a batch with such events at once but the position of
 * events it skips only up to a second later, and a write must not wait for that.
 */
export const createSharedProgress = (deps: {
  eventStore: EventStore;
  readModels: ReadModelStore;
  logger: Logger;
  projections?: Projection[];
  /** Checkpoint polling while a write waits, and otherwise (for /ready and the id locator). */
  pollMs?: number;
  idlePollMs?: number;
}): Projections => {
  const projections = deps.projections ?? allProjections;
  projections.forEach((projection) =>
    deps.readModels.register({ name: projection.name, collections: projection.collections }),
  );
  const pollMs = deps.pollMs ?? 20;
  const idlePollMs = deps.idlePollMs ?? 1000;
  const tracked: Tracked[] = projections.map((projection) => ({
    projection,
    types: new Set(projection.eventTypes),
    version: 1,
    checkpoint: undefined,
    pending: [],
    overflow: false,
  }));
  let seen: bigint | undefined;
  let subscription: Subscription | undefined;
  let running = false;
  let timer: NodeJS.Timeout | undefined;
  let timerFast = false;
  let waiters: Array<{ position: bigint; resolve: (reached: boolean) => void }> = [];
  let caughtUpResolve: () => void = () => {};
  let caughtUpPromise = new Promise<void>((resolve) => (caughtUpResolve = resolve));

  const passedBy = (entry: Tracked, position: bigint) =>
    atOrAfter(entry.checkpoint, position) ||
    (!entry.overflow && atOrAfter(seen, position) && (entry.pending.length === 0 || entry.pending[0] > position));

  const passed = (position: bigint) => tracked.every((entry) => passedBy(entry, position));

  const settle = () => {
    if (waiters.length === 0) return;
    waiters = waiters.filter((waiter) => {
      if (!passed(waiter.position)) return true;
      waiter.resolve(true);
      return false;
    });
  };

  const refresh = async () => {
    for (const entry of tracked) {
      const name = entry.projection.name;
      entry.version = await deps.readModels.activeVersion(name);
      entry.checkpoint = await deps.readModels.readCheckpoint(name, entry.version);
      const checkpoint = entry.checkpoint;
      if (checkpoint === undefined) continue;
      if (entry.pending.length > 0 && entry.pending[0] <= checkpoint)
        entry.pending = entry.pending.filter((position) => position > checkpoint);
      if (entry.overflow && atOrAfter(checkpoint, seen ?? 0n)) entry.overflow = false;
    }
    settle();
  };

  const schedule = (fast: boolean) => {
    if (!running || (timer && (timerFast || !fast))) return;
    clearTimeout(timer);
    timerFast = fast;
    timer = setTimeout(
      () => {
        timer = undefined;
        refresh()
          .catch((error: unknown) => deps.logger.warn({ err: error }, 'reading shared checkpoints failed'))
          .finally(() => schedule(waiters.length > 0));
      },
      fast ? pollMs : idlePollMs,
    );
  };

  const follow = async () => {
    const froms = tracked.map((entry) => entry.checkpoint);
    const after =
      seen ?? (froms.includes(undefined) ? undefined : (froms as bigint[]).reduce((a, b) => (a < b ? a : b)));
    subscription = deps.eventStore.subscribeToAll({
      after,
      onEvent: (event) => {
        seen = event.position;
        for (const entry of tracked) {
          if (!entry.types.has(event.type) || atOrAfter(entry.checkpoint, event.position)) continue;
          if (entry.pending.length >= MAX_PENDING) entry.overflow = true;
          if (!entry.overflow) entry.pending.push(event.position);
        }
        settle();
      },
      onCaughtUp: (position) => {
        if (position !== undefined && !atOrAfter(seen, position)) seen = position;
        caughtUpResolve();
        settle();
      },
      onError: (error) => restarter.schedule(error),
    });
  };

  const restarter = createRestarter({
    backoff: { firstMs: 100, maxMs: 10_000, jitter: true },
    start: async () => {
      if (!running) return;
      await follow();
      restarter.reset();
    },
    onRestartScheduled: (error, delayMs) =>
      deps.logger.warn({ err: error, delayMs }, 'log follow for shared progress restarting'),
  });

  const status = (): ProjectionStatus[] =>
    tracked.map((entry) => {
      const upToSeen = !entry.overflow && entry.pending.length === 0;
      const applied = upToSeen && seen !== undefined && !atOrAfter(entry.checkpoint, seen) ? seen : entry.checkpoint;
      return {
        name: entry.projection.name,
        version: entry.version,
        state: running ? 'live' : 'stopped',
        appliedPosition: applied,
        appliedRecordedAt: undefined,
        eventsApplied: 0,
        error: undefined,
      };
    });

  return {
    start: async () => {
      running = true;
      await refresh();
      await follow();
      schedule(false);
    },
    stop: async () => {
      running = false;
      clearTimeout(timer);
      timer = undefined;
      restarter.cancel();
      await subscription?.stop();
      subscription = undefined;
      waiters.forEach((waiter) => waiter.resolve(false));
      waiters = [];
      caughtUpPromise = new Promise<void>((resolve) => (caughtUpResolve = resolve));
    },
    waitForPosition: (position, timeoutMs) =>
      new Promise<boolean>((resolve) => {
        if (passed(position)) return resolve(true);
        const waiter = {
          position,
          resolve: (reached: boolean) => {
            clearTimeout(deadline);
            resolve(reached);
          },
        };
        const deadline = setTimeout(() => {
          waiters = waiters.filter((other) => other !== waiter);
          resolve(false);
        }, timeoutMs);
        waiters.push(waiter);
        schedule(true);
      }),
    caughtUp: () => caughtUpPromise,
    status,
    appliedTotals: () => Object.fromEntries(projections.map((projection) => [projection.name, 0])),
    syncActiveVersions: refresh,
  };
};
