import type { EventStore } from '../eventStore/eventStore';
import type { Projections } from '../projections/projections';
import type { ReadModelStore } from '../readModels/readModelStore';
import { measureLags, readLogHead } from './measureLag';

export type Readiness = {
  ready: boolean;
  eventStore: { ok: boolean; error?: string };
  readModels: { ok: boolean; error?: string };
  projections: Array<{ name: string; version: number; state: string; lagEvents: number; ok: boolean; error?: string }>;
};

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** Ready = both stores answer and every projection runs within `maxLagEvents` of the head. */
export const checkReadiness = async (deps: {
  eventStore: EventStore;
  readModels: ReadModelStore;
  projections: Projections;
  maxLagEvents: number;
}): Promise<Readiness> => {
  const statuses = deps.projections.status();
  const head = await readLogHead(deps.eventStore).then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error: messageOf(error) }),
  );
  const readModels = await deps.readModels.activeVersion(statuses[0]?.name ?? 'readiness_probe').then(
    () => ({ ok: true }),
    (error: unknown) => ({ ok: false, error: messageOf(error) }),
  );
  const lags = head.ok
    ? await measureLags(
        deps.eventStore,
        head.value,
        statuses.map((status) => status.appliedPosition),
        deps.maxLagEvents,
      )
    : undefined;
  const projections = statuses.map((status, index) => {
    const lagEvents = lags?.[index].events ?? Number.NaN;
    const running = status.state === 'live' || status.state === 'catching_up';
    const ok = running && lagEvents <= deps.maxLagEvents && !lags?.[index].eventsBounded;
    return {
      name: status.name,
      version: status.version,
      state: status.state,
      lagEvents,
      ok,
      ...(status.error ? { error: status.error } : {}),
    };
  });
  return {
    ready: head.ok && readModels.ok && projections.every((projection) => projection.ok),
    eventStore: head.ok ? { ok: true } : { ok: false, error: head.error },
    readModels,
    projections,
  };
};
