import type { EventStore } from '../eventStore/eventStore';
import type { Logger } from '../logger';
import type { Projection } from '../projections/projection';
import { createProjectionRunner } from '../projections/projectionRunner';
import type { ReadModelStore } from '../readModels/readModelStore';

export class RebuildFailedError extends Error {
  readonly code = 'REBUILD_FAILED';
  constructor(
    readonly projection: string,
    readonly version: number,
    reason: string,
  ) {
    super(`Rebuild of ${projection} v${version} stopped: ${reason}`);
    this.name = 'RebuildFailedError';
  }
}

export type RebuildOutcome = {
  projection: string;
  version: number;
  previousVersion: number;
  /** The new version's checkpoint when this run started (undefined: from position 0). */
  resumedFrom: bigint | undefined;
  eventsApplied: number;
  /** The log head when this run started. */
  headAtStart: bigint | undefined;
  /** The position the new version had applied when it was switched (or interrupted). */
  caughtUpTo: bigint | undefined;
  /** False when interrupted before the switch; re-running resumes from the checkpoint. */
  activated: boolean;
};

export type RebuildProgress = {
  start: (total: number, resumedAt: number) => void;
  update: (done: number) => void;
  stop: () => void;
};

const POLL_MS = 200;

/**
 * The version a rebuild writes: an unfinished rebuild (a version above the active one)
 * is resumed, otherwise a new version above every existing one.
 */
export const chooseRebuildVersion = (versions: Array<{ version: number; active: boolean }>, active: number): number => {
  const unfinished = versions.filter((entry) => entry.version > active).map((entry) => entry.version);
  if (unfinished.length > 0) return Math.max(...unfinished);
  return Math.max(active, ...versions.map((entry) => entry.version)) + 1;
};

/**
 * Builds a new version of one projection from position 0 (or from where an interrupted
 * run stopped) beside the live one, catches up with the head of the log, then makes it
 * the active version atomically. The old version stays until `dropOldVersions`. The
 * server notices the switch (`syncActiveVersions`) and maintains the new version from
 * its checkpoint.
 */
export const rebuildProjection = async (deps: {
  eventStore: EventStore;
  readModels: ReadModelStore;
  projection: Projection;
  logger: Logger;
  signal?: AbortSignal;
  progress?: RebuildProgress;
  batchSize?: number;
  /** Called after each batch written (tests use it to interrupt mid-way). */
  onBatch?: (appliedPosition: bigint) => void;
}): Promise<RebuildOutcome> => {
  const { projection, readModels, eventStore } = deps;
  const previousVersion = await readModels.activeVersion(projection.name);
  const version = chooseRebuildVersion(await readModels.listVersions(projection.name), previousVersion);
  await readModels.prepareVersion(projection.name, version);
  const resumedFrom = await readModels.readCheckpoint(projection.name, version);
  const runner = createProjectionRunner({
    eventStore,
    readModels,
    projection,
    version,
    logger: deps.logger,
    batchSize: deps.batchSize,
    onApplied: () => {
      const applied = runner.status().appliedPosition;
      if (applied === undefined) return;
      deps.progress?.update(Number(applied));
      deps.onBatch?.(applied);
    },
  });
  const headAtStart = await eventStore.headPosition();
  const outcome = (activated: boolean): RebuildOutcome => ({
    projection: projection.name,
    version,
    previousVersion,
    resumedFrom,
    eventsApplied: runner.status().eventsApplied,
    headAtStart,
    caughtUpTo: runner.status().appliedPosition,
    activated,
  });

  deps.progress?.start(Number(headAtStart ?? 0n), Number(resumedFrom ?? 0n));
  const aborted = new Promise<void>((resolve) => {
    if (deps.signal?.aborted) resolve();
    deps.signal?.addEventListener('abort', () => resolve(), { once: true });
  });
  await runner.start();
  try {
    for (;;) {
      if (deps.signal?.aborted) break;
      const status = runner.status();
      if (status.state === 'failed')
        throw new RebuildFailedError(projection.name, version, status.error ?? 'unknown error');
      const head = await eventStore.headPosition();
      if (head === undefined || (status.appliedPosition !== undefined && status.appliedPosition >= head)) break;
      await Promise.race([runner.waitForPosition(head, POLL_MS), aborted]);
    }
  } finally {
    await runner.stop();
    deps.progress?.stop();
  }
  const final = runner.status();
  if (deps.signal?.aborted) return outcome(false);
  if (final.state === 'failed') throw new RebuildFailedError(projection.name, version, final.error ?? 'unknown error');
  await readModels.activateVersion(projection.name, version);
  deps.logger.info({ projection: projection.name, version, previousVersion }, 'projection version activated');
  return outcome(true);
};

/** Drops every version older than the active one; returns what it dropped. */
export const dropOldVersions = async (readModels: ReadModelStore, projection: string): Promise<number[]> => {
  const active = await readModels.activeVersion(projection);
  const old = (await readModels.listVersions(projection))
    .filter((entry) => entry.version < active)
    .map((entry) => entry.version);
  for (const version of old) await readModels.dropVersion(projection, version);
  return old;
};
