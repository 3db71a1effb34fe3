import type { EventStore } from '../eventStore/eventStore';
import type { ReadModelStore } from '../readModels/readModelStore';
import { measureLags, readLogHead } from './measureLag';

/** What the server reports for one runner (GET /ops/projections). */
export type ServerProjectionStatus = {
  name: string;
  version: number;
  state: string;
  error: string | null;
  /** Where the runner is in memory; ahead of the stored checkpoint by at most a second of events it skipped. */
  appliedPosition: string | null;
};

/**
 * The active version's position: the running server's own when it runs that version (the
 * store holds it too, but a projection stores positions reached only through other
 * projections' events lazily), otherwise the stored checkpoint.
 */
const positionOf = (
  name: string,
  version: number,
  stored: bigint | undefined,
  server: ServerView,
): bigint | undefined => {
  const runner = server.reachable ? server.projections.find((projection) => projection.name === name) : undefined;
  const live =
    runner?.version === version && runner.appliedPosition !== null ? BigInt(runner.appliedPosition) : undefined;
  if (live === undefined) return stored;
  return stored === undefined || live > stored ? live : stored;
};

export type ServerView =
  { reachable: true; projections: ServerProjectionStatus[] } | { reachable: false; reason: string };

export type ProjectionState = 'running' | 'rebuilding' | 'stopped' | 'failed' | 'unknown';

export type ProjectionReport = {
  name: string;
  activeVersion: number;
  checkpoint: string | null;
  head: string | null;
  lagEvents: number;
  /** True when `lagEvents` stopped at the bound (there are at least that many). */
  lagEventsBounded: boolean;
  lagSeconds: number;
  state: ProjectionState;
  detail: string | null;
  /** An unfinished (or running) rebuild: the version being built and how far it got. */
  rebuild: { version: number; checkpoint: string | null; lagEvents: number; lagEventsBounded: boolean } | null;
};

/**
 * The state comes from two places: the read-model store says whether a newer version is
 * being built (any process can see that), the server says whether its runner for the
 * active version is running or stopped with an error.
 */
const decideState = (
  name: string,
  activeVersion: number,
  rebuilding: boolean,
  server: ServerView,
): { state: ProjectionState; detail: string | null } => {
  if (!server.reachable) return { state: rebuilding ? 'rebuilding' : 'unknown', detail: `server: ${server.reason}` };
  const runner = server.projections.find((projection) => projection.name === name);
  if (!runner) return { state: 'stopped', detail: 'the server does not run this projection' };
  if (runner.state === 'failed') return { state: 'failed', detail: runner.error };
  if (runner.state === 'stopped') return { state: 'stopped', detail: null };
  if (rebuilding) return { state: 'rebuilding', detail: `serving v${activeVersion} while the next version is built` };
  if (runner.version !== activeVersion) return { state: 'running', detail: `switching from v${runner.version}` };
  return { state: 'running', detail: runner.state === 'catching_up' ? 'catching up' : null };
};

export const reportProjections = async (deps: {
  eventStore: EventStore;
  readModels: ReadModelStore;
  names: string[];
  server: ServerView;
  lagBound: number;
}): Promise<ProjectionReport[]> => {
  const head = await readLogHead(deps.eventStore);
  return Promise.all(
    deps.names.map(async (name) => {
      const versions = await deps.readModels.listVersions(name);
      const activeVersion = await deps.readModels.activeVersion(name);
      const active = versions.find((entry) => entry.version === activeVersion);
      const next = versions.filter((entry) => entry.version > activeVersion).sort((a, b) => b.version - a.version)[0];
      const checkpoint = positionOf(name, activeVersion, active?.checkpoint, deps.server);
      const [lag, nextLag] = await measureLags(
        deps.eventStore,
        head,
        [checkpoint, ...(next ? [next.checkpoint] : [])],
        deps.lagBound,
      );
      return {
        name,
        activeVersion,
        checkpoint: checkpoint?.toString() ?? null,
        head: head.position?.toString() ?? null,
        lagEvents: lag.events,
        lagEventsBounded: lag.eventsBounded,
        lagSeconds: lag.seconds,
        ...decideState(name, activeVersion, next !== undefined, deps.server),
        rebuild: next
          ? {
              version: next.version,
              checkpoint: next.checkpoint?.toString() ?? null,
              lagEvents: nextLag.events,
              lagEventsBounded: nextLag.eventsBounded,
            }
          : null,
      };
    }),
  );
};

/** Asks the server for its runners' state; a server that does not answer is reported, not fatal. */
export const fetchServerView = async (
  serverUrl: string,
  opsToken: string | undefined,
  timeoutMs = 1500,
): Promise<ServerView> => {
  try {
    const response = await fetch(new URL('/ops/projections', serverUrl), {
      headers: opsToken ? { authorization: `Bearer ${opsToken}` } : {},
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (!response.ok) return { reachable: false, reason: `${serverUrl} answered ${response.status}` };
    const body = (await response.json()) as { projections: ServerProjectionStatus[] };
    return { reachable: true, projections: body.projections };
  } catch (error) {
    return {
      reachable: false,
      reason: `${serverUrl} unreachable (${error instanceof Error ? error.message : String(error)})`,
    };
  }
};
