import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import type { Config } from './config';
import { createEventStore } from './eventStore/createEventStore';
import type { EventStore } from './eventStore/eventStore';
import { createTokenVerifier } from './http/auth';
import { createErrorMiddleware } from './http/errorMiddleware';
import { createLogger, type Logger } from './logger';
import { createReadModelStore } from './readModels/createReadModelStore';
import type { ReadModelStore } from './readModels/readModelStore';
import { createAppliedIds } from './projections/appliedIds';
import type { Projections } from './projections/projections';
import { createCommandRouter } from './commands/commandRouter';
import { createSnapshotStore } from './commands/snapshots/createSnapshotStore';
import { createQueryRouter } from './queries/queryRouter';
import { createRealtimeGateway } from './realtime/realtimeGateway';
import { createPush, type Push } from './push/push';
import { createOpsRouter } from './ops/opsRouter';
import { createApiDocsRouter } from './apiDocs/apiDocsRouter';
import { createIdempotencyStore } from './idempotency/createIdempotencyStore';
import { createIdempotencyMiddleware } from './idempotency/idempotencyMiddleware';
import { httpServerOptions } from './http/serverTimeouts';
import { createLimiterFactory } from './http/rateLimiters';
import { createRestRateLimit } from './http/restRateLimit';
import { createSharedProgress } from './cluster/sharedProgress';
import { createHttpDrain, withDeadline } from './cluster/shutdown';
import { createIdlePush } from './push/idlePush';
import { createLeasedProjections } from './cluster/leasedProjections';
import { leaseOwner } from './cluster/leaseOwner';

export type AppOptions = {
  /** The clock every decision reads; tests inject one. */
  now?: () => Date;
  logger?: Logger;
  /** Wraps the configured event store: tests put a failing transport around it. */
  wrapEventStore?: (store: EventStore) => EventStore;
};

export type App = {
  config: Config;
  eventStore: EventStore;
  readModels: ReadModelStore;
  projections: Projections;
  push: Push;
  httpServer: http.Server;
  logger: Logger;
  /** Base URL once started, e.g. http://127.0.0.1:41234 */
  url: () => string;
  start: () => Promise<void>;
  stop: () => Promise<void>;
};

/** The composition root: builds every piece from the config and wires them together. */
export const createApp = (config: Config, options: AppOptions = {}): App => {
  const now = options.now ?? (() => new Date());
  const logger = options.logger ?? createLogger(config.logLevel);
  const verifyToken = createTokenVerifier(config.jwt, { maxTtlSeconds: config.limits.jwtMaxTtlSeconds });
  const eventStore = (options.wrapEventStore ?? ((store: EventStore) => store))(createEventStore(config));
  const readModels = createReadModelStore(config);
  const { roles } = config;
  const owner = leaseOwner();
  // Without the projector role, the projections' progress is the shared checkpoints (read-your-writes across nodes).
  // With it, one process per read-model store runs them (its lease); the others stand by.
  const leased = roles.has('projector')
    ? createLeasedProjections({ eventStore, readModels, logger, owner, timing: config.leases })
    : undefined;
  const projections: Projections = leased ?? createSharedProgress({ eventStore, readModels, logger });
  const idempotency = createIdempotencyStore(config);
  const snapshots = createSnapshotStore(config);

  let httpDrain: ReturnType<typeof createHttpDrain> | undefined;
  const expressApp = express();
  expressApp.disable('x-powered-by');
  // Behind a load balancer, req.ip (the per-address budget) is the client only when the proxy is trusted.
  expressApp.set('trust proxy', config.limits.trustProxy);
  // First: during a shutdown the drain decides what is still run (createHttpDrain).
  expressApp.use((req, res, next) => (httpDrain ? httpDrain.gate(req, res, next) : next()));
  expressApp.use(express.json({ limit: '256kb' }));
  const httpServer = http.createServer(httpServerOptions(config.limits.http), expressApp);

  const limiters = createLimiterFactory({
    redisUrl: config.redisUrl,
    logger,
    keyPrefix: config.limits.rateLimitKeyPrefix,
  });
  const realtime = roles.has('api')
    ? createRealtimeGateway({
        config,
        httpServer,
        eventStore,
        readModels,
        verifyToken,
        now,
        logger,
        projections,
        limiters,
      })
    : undefined;
  const push = roles.has('push')
    ? createPush({ config, eventStore, readModels, projections, now, logger, leaseOwner: owner })
    : createIdlePush();

  expressApp.use(
    createOpsRouter({
      eventStore,
      readModels,
      projections,
      logger,
      readyMaxLagEvents: config.readyMaxLagEvents,
      access: { opsToken: config.limits.opsToken, verifyToken },
      sources: {
        connectedSockets: () => realtime?.connectedSockets() ?? 0,
        queueDepth: async () => (await push.status()).pendingJobs,
      },
      leaseRoles: () => ({
        ...(leased ? { projector: leased.leaseRole() } : {}),
        ...(push.leaseRole ? { pushTrigger: push.leaseRole() } : {}),
      }),
    }),
  );
  expressApp.use(createApiDocsRouter());
  const appliedIds = createAppliedIds({ readModels, projections });
  if (roles.has('api')) {
    expressApp.use(createRestRateLimit({ limits: config.limits.rest, factory: limiters, verifyToken }));
    // Reads outnumber writes by far: their few routes go first, so a GET is matched before the many command routes.
    expressApp.use(createQueryRouter({ config, readModels, verifyToken, now }));
    // A write's claim must outlast its read-your-writes wait, or a slow answer would let a retry run it again.
    const lockMs = config.readYourWritesTimeoutMs + 60_000;
    expressApp.use(createIdempotencyMiddleware({ store: idempotency, verifyToken, now, lockMs, logger }));
    expressApp.use(
      createCommandRouter({ config, eventStore, verifyToken, now, projections, appliedIds, snapshots, logger }),
    );
  }
  expressApp.use((req, res) => {
    res.status(404).json({ message: `No route for ${req.method} ${req.path}`, code: 'NOT_FOUND' });
  });
  expressApp.use(createErrorMiddleware(logger));

  let started = false;
  const start = async () => {
    await readModels.start();
    await idempotency.start();
    await projections.start();
    await push.start();
    await realtime?.start();
    httpDrain = createHttpDrain(httpServer);
    await new Promise<void>((resolve, reject) => {
      httpServer.once('error', reject);
      httpServer.listen(config.port, config.host, () => {
        httpServer.off('error', reject);
        resolve();
      });
    });
    started = true;
    logger.info({ url: url() }, 'communication backend listening');
  };

  /**
   * Graceful: drain HTTP (every running request answered, connections closed, bounded by
   * the grace period; see createHttpDrain), close the sockets, then stop background work
   * (the projector at a batch boundary) and close the stores, each step bounded so an
   * unreachable Redis or database cannot hold the process.
   */
  const stop = async () => {
    const step = (name: string, ms: number, work: () => Promise<unknown>) => withDeadline(name, ms, work, logger);
    if (started) {
      started = false;
      await httpDrain?.drain(config.shutdownGraceMs);
      if (realtime) await step('realtime', 800, realtime.stop);
    }
    await step('push', 1500, push.stop);
    await step('projections', 1000, projections.stop);
    await step('idempotency', 300, idempotency.close);
    await step('snapshots', 300, () => snapshots.close());
    await step('read models', 400, readModels.close);
    await step('event store', 400, () => eventStore.close());
    await step('limiters', 300, limiters.close);
  };

  const url = () => {
    const address = httpServer.address() as AddressInfo | null;
    if (!address) throw new Error('Server is not listening');
    const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    return `http://${host === '0.0.0.0' || host === '[::]' ? '127.0.0.1' : host}:${address.port}`;
  };

  return { config, eventStore, readModels, projections, push, httpServer, logger, url, start, stop };
};
