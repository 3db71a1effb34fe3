import { Router, type NextFunction, type Request, type Response } from 'express';
import type { EventStore } from '../eventStore/eventStore';
import { positionToString } from '../eventStore/eventStore';
import { createCorrelationMiddleware, requestLoggerOf } from '../http/correlation';
import type { Logger } from '../logger';
import type { Projections } from '../projections/projections';
import type { ReadModelStore } from '../readModels/readModelStore';
import type { VerifyToken } from '../http/auth';
import { checkReadiness } from './checkReadiness';
import { requireOpsAccess } from './opsAccess';
import { createMetrics, type MetricSources } from './metrics';
import type { LeaseRole } from '../cluster/leaseKeeper';

/** Routes whose own traffic would only add noise to the latency histogram and the logs. */
const OPS_PATHS = new Set(['/health', '/ready', '/metrics', '/ops/projections']);

const routeOf = (req: Request): string => {
  // Express types req.route as any; only a matched route has a path.
  const route = req.route as { path?: string } | undefined;
  return route?.path ? `${req.baseUrl}${String(route.path)}` : 'unmatched';
};

/**
 * Operations surface, mounted before every other router: correlation ids and request
 * timing for every request, then /health, /ready, /metrics and /ops/projections (the
 * runners' live state, which `commctl projections status` reads).
 */
export const createOpsRouter = (deps: {
  eventStore: EventStore;
  readModels: ReadModelStore;
  projections: Projections;
  logger: Logger;
  sources?: MetricSources;
  /** /ready answers 503 while a projection is further behind than this. */
  readyMaxLagEvents?: number;
  /** /metrics and /ops/* need this bearer token or an admin JWT. */
  access: { opsToken: string | undefined; verifyToken: VerifyToken };
  /** Active or standby, per leased role this process runs (projector, pushTrigger). */
  leaseRoles?: () => Partial<Record<string, LeaseRole>>;
}): Router => {
  const leaseRoles = () => deps.leaseRoles?.() ?? {};
  const router = Router();
  const metrics = createMetrics({ eventStore: deps.eventStore, projections: deps.projections, sources: deps.sources });
  const readyMaxLagEvents = deps.readyMaxLagEvents ?? 1000;

  router.use(createCorrelationMiddleware(deps.logger));
  router.use((req: Request, res: Response, next: NextFunction) => {
    const started = process.hrtime.bigint();
    // The route is known only once a router matched; read it when the response is done.
    let route = 'unmatched';
    res.on('finish', () => {
      if (OPS_PATHS.has(req.path)) return;
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      metrics.observeRequest({ method: req.method, route, statusCode: res.statusCode }, seconds);
      requestLoggerOf(res, deps.logger).info(
        {
          method: req.method,
          path: req.originalUrl,
          route,
          status: res.statusCode,
          durationMs: Math.round(seconds * 1000),
        },
        'request',
      );
    });
    // prefinish is emitted synchronously inside res.end(), so every response (res.json, res.send,
    // the error middleware) passes here while req.route still names the matched route.
    res.once('prefinish', () => {
      if (req.route) route = routeOf(req);
    });
    next();
  });

  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });

  router.get('/ready', async (_req, res) => {
    const readiness = await checkReadiness({ ...deps, maxLagEvents: readyMaxLagEvents });
    const status = readiness.ready ? 'ready' : 'not_ready';
    res.status(readiness.ready ? 200 : 503).json({ status, ...readiness, leases: leaseRoles() });
  });

  router.use(['/metrics', '/ops'], requireOpsAccess(deps.access));

  router.get('/metrics', async (_req, res) => {
    res.setHeader('content-type', metrics.registry.contentType);
    res.send(await metrics.registry.metrics());
  });

  router.get('/ops/projections', (_req, res) => {
    res.json({
      leases: leaseRoles(),
      projections: deps.projections.status().map((status) => ({
        ...status,
        appliedPosition: positionToString(status.appliedPosition),
        appliedRecordedAt: status.appliedRecordedAt ?? null,
        error: status.error ?? null,
      })),
    });
  });

  return router;
};
