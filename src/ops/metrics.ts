import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { EventStore } from '../eventStore/eventStore';
import type { Projections } from '../projections/projections';
import { measureLags, readLogHead, type Lag } from './measureLag';

export type MetricSources = {
  /** Sockets connected to the realtime gateway (wired by the composition root). */
  connectedSockets?: () => number | Promise<number>;
  /** Jobs waiting in the push queue. */
  queueDepth?: () => number | Promise<number>;
};

export type Metrics = {
  registry: Registry;
  observeRequest: (labels: { method: string; route: string; statusCode: number }, seconds: number) => void;
};

/** Lag is measured once per scrape for both lag gauges (their collects run concurrently). */
const SNAPSHOT_TTL_MS = 500;

/** A source behind a server that may be down (Redis): a scrape must still answer within a second. */
const SOURCE_TIMEOUT_MS = 800;

const withinTimeout = async (read: () => number | Promise<number>): Promise<number | undefined> => {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>(
    (resolve) => (timer = setTimeout(() => resolve(undefined), SOURCE_TIMEOUT_MS)),
  );
  try {
    return await Promise.race([Promise.resolve(read()), timeout]);
  } catch {
    return undefined;
  } finally {
    clearTimeout(timer);
  }
};

/** A registry per app (no global default registry), so several apps can live in one process. */
export const createMetrics = (deps: {
  eventStore: EventStore;
  projections: Projections;
  sources?: MetricSources;
  lagBound?: number;
}): Metrics => {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const lagBound = deps.lagBound ?? 100_000;
  let snapshot: { at: number; lags: Promise<Array<{ name: string; lag: Lag }>> } | undefined;

  const lagSnapshot = () => {
    if (snapshot && Date.now() - snapshot.at < SNAPSHOT_TTL_MS) return snapshot.lags;
    const statuses = deps.projections.status();
    const lags = readLogHead(deps.eventStore)
      .then((head) =>
        measureLags(
          deps.eventStore,
          head,
          statuses.map((status) => status.appliedPosition),
          lagBound,
        ),
      )
      .then((measured) => measured.map((lag, index) => ({ name: statuses[index].name, lag })));
    snapshot = { at: Date.now(), lags };
    return lags;
  };

  new Gauge({
    name: 'projection_lag_events',
    help: `Events in the log after the projection's checkpoint (counted up to ${lagBound})`,
    labelNames: ['projection'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const { name, lag } of await lagSnapshot()) this.set({ projection: name }, lag.events);
    },
  });
  new Gauge({
    name: 'projection_lag_seconds',
    help: "Head event's recordedAt minus the checkpoint event's recordedAt",
    labelNames: ['projection'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const { name, lag } of await lagSnapshot()) this.set({ projection: name }, lag.seconds);
    },
  });
  new Gauge({
    name: 'projection_active_version',
    help: 'Read-model version the projection runner maintains',
    labelNames: ['projection'],
    registers: [registry],
    collect() {
      this.reset();
      for (const status of deps.projections.status()) this.set({ projection: status.name }, status.version);
    },
  });
  new Counter({
    name: 'projection_events_applied_total',
    help: 'Events applied to read models since the process started',
    labelNames: ['projection'],
    registers: [registry],
    collect() {
      // The projections keep the running total; the counter mirrors it at each scrape.
      this.reset();
      for (const [name, total] of Object.entries(deps.projections.appliedTotals()))
        this.inc({ projection: name }, total);
    },
  });
  new Gauge({
    name: 'realtime_connected_sockets',
    help: 'Sockets connected to the realtime gateway',
    registers: [registry],
    async collect() {
      this.set((await deps.sources?.connectedSockets?.()) ?? 0);
    },
  });
  new Gauge({
    name: 'push_queue_depth',
    help: 'Push fan-out jobs waiting in the queue (NaN while the queue does not answer)',
    registers: [registry],
    async collect() {
      const source = deps.sources?.queueDepth;
      this.set((source ? await withinTimeout(source) : 0) ?? Number.NaN);
    },
  });
  const requestDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request latency by route; commands are the non-GET /api routes',
    labelNames: ['method', 'route', 'status_code'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });

  // One bound child per (method, route, status): observing through it skips prom-client's per-call label hashing.
  const children = new Map<string, ReturnType<typeof requestDuration.labels>>();
  return {
    registry,
    observeRequest: (labels, seconds) => {
      const key = `${labels.method} ${labels.statusCode} ${labels.route}`;
      let child = children.get(key);
      if (!child) {
        child = requestDuration.labels({
          method: labels.method,
          route: labels.route,
          status_code: String(labels.statusCode),
        });
        children.set(key, child);
      }
      child.observe(seconds);
    },
  };
};
