import type { EventStore } from '../eventStore/eventStore';
import type { Logger } from '../logger';
import type { ReadModelStore } from '../readModels/readModelStore';
import { allProjections } from './allProjections';
import type { Projection } from './projection';
import { createProjectionRunner } from './projectionRunner';
import type { ProjectionRunner, ProjectionStatus } from './projectionRunnerTypes';
import { createSharedSubscription, type SharedSubscription } from './sharedSubscription';

export type Projections = {
  start: () => Promise<void>;
  stop: () => Promise<void>;
  /** Resolves true once every projection has passed `position`, false after `timeoutMs`. */
  waitForPosition: (position: bigint, timeoutMs: number) => Promise<boolean>;
  /** Resolves once every projection has reached the head of the log it saw at start. */
  caughtUp: () => Promise<void>;
  status: () => ProjectionStatus[];
  /** Events applied per projection since this process started, across version switches. */
  appliedTotals: () => Record<string, number>;
  /**
   * Hands each projection over to its active version when another process (a rebuild)
   * switched it: stops the old runner and resumes the new version from its checkpoint.
   * Runs every `versionCheckIntervalMs`; exposed so tests can run it deterministically.
   */
  syncActiveVersions: () => Promise<void>;
};

/**
 * Registers every projection's collections with the read-model store (before it starts)
 * and runs each projection's active version.
 */
export const createProjections = (deps: {
  eventStore: EventStore;
  readModels: ReadModelStore;
  logger: Logger;
  projections?: Projection[];
  onApplied?: (projection: string, count: number) => void;
  /** 0 disables the periodic check. */
  versionCheckIntervalMs?: number;
}): Projections => {
  const projections = deps.projections ?? allProjections;
  projections.forEach((projection) =>
    deps.readModels.register({ name: projection.name, collections: projection.collections }),
  );
  const runners = new Map<string, ProjectionRunner>();
  const totals: Record<string, number> = Object.fromEntries(projections.map((projection) => [projection.name, 0]));
  const versionCheckIntervalMs = deps.versionCheckIntervalMs ?? 1000;
  let timer: NodeJS.Timeout | undefined;
  let syncing: Promise<void> = Promise.resolve();
  // One read of the log feeds every projection started together (a cold start or catch-up reads it once).
  let shared: SharedSubscription | undefined;

  const runnerFor = (projection: Projection, version: number) =>
    createProjectionRunner({
      eventStore: deps.eventStore,
      readModels: deps.readModels,
      projection,
      version,
      logger: deps.logger,
      onApplied: (count) => {
        totals[projection.name] += count;
        deps.onApplied?.(projection.name, count);
      },
      subscribe: shared?.subscribe,
    });

  const syncNow = async () => {
    for (const projection of projections) {
      const runner = runners.get(projection.name);
      if (!runner) continue;
      const active = await deps.readModels.activeVersion(projection.name);
      if (active === runner.status().version) continue;
      deps.logger.info(
        { projection: projection.name, from: runner.status().version, to: active },
        'projection version switched',
      );
      await runner.stop();
      const next = runnerFor(projection, active);
      try {
        await next.start();
      } catch (error) {
        // Keep maintaining the version being served; the next check tries the switch again.
        await next.stop().catch(() => undefined);
        await runner.start();
        throw error;
      }
      runners.set(projection.name, next);
    }
  };

  const syncActiveVersions = () => {
    syncing = syncing.then(syncNow, syncNow);
    return syncing;
  };

  const start = async () => {
    shared = createSharedSubscription(deps.eventStore);
    for (const projection of projections) {
      runners.set(projection.name, runnerFor(projection, await deps.readModels.activeVersion(projection.name)));
    }
    await Promise.all([...runners.values()].map((runner) => runner.start()));
    shared.open();
    if (versionCheckIntervalMs > 0) {
      timer = setInterval(() => {
        syncActiveVersions().catch((error: unknown) =>
          deps.logger.error({ err: error }, 'projection version check failed'),
        );
      }, versionCheckIntervalMs);
      timer.unref();
    }
  };

  const stop = async () => {
    if (timer) clearInterval(timer);
    timer = undefined;
    await syncing.catch(() => undefined);
    await Promise.all([...runners.values()].map((runner) => runner.stop()));
  };

  const waitForPosition = async (position: bigint, timeoutMs: number) => {
    const reached = await Promise.all(
      [...runners.values()].map((runner) => runner.waitForPosition(position, timeoutMs)),
    );
    return reached.every(Boolean);
  };

  return {
    start,
    stop,
    waitForPosition,
    caughtUp: async () => {
      await Promise.all([...runners.values()].map((runner) => runner.caughtUp()));
    },
    status: () => [...runners.values()].map((runner) => runner.status()),
    appliedTotals: () => ({ ...totals }),
    syncActiveVersions,
  };
};
