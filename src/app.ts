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
import { createProjections, type Projections } from './projections/projections';
import { createCommandRouter } from './commands/commandRouter';
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
  const projections = createProjections({ eventStore, readModels, logger });
  const idempotency = createIdempotencyStore(config);

  const expressApp = express();
  expressApp.disable('x-powered-by');
  // Behind a load balancer, req.ip (the per-address budget) is the client only when the proxy is trusted.
  expressApp.set('trust proxy', config.limits.trustProxy);
  expressApp.use(express.json({ limit: '256kb' }));
  const httpServer = http.createServer(httpServerOptions(config.limits.http), expressApp);

  const limiters = createLimiterFactory({
    redisUrl: config.redisUrl,
    logger,
    keyPrefix: config.limits.rateLimitKeyPrefix,
  });
  const realtime = createRealtimeGateway({
    config,
    httpServer,
    eventStore,
    readModels,
    verifyToken,
    now,
    logger,
    projections,
    limiters,
  });
  const push = createPush({ config, eventStore, readModels, projections, now, logger });

  expressApp.use(
    createOpsRouter({
      eventStore,
      readModels,
      projections,
      logger,
      access: { opsToken: config.limits.opsToken, verifyToken },
      sources: {
        connectedSockets: realtime.connectedSockets,
        queueDepth: async () => (await push.status()).pendingJobs,
      },
    }),
  );
  expressApp.use(createApiDocsRouter());
  expressApp.use(createRestRateLimit({ limits: config.limits.rest, factory: limiters, verifyToken }));
  // Reads outnumber writes by far: their few routes go first, so a GET is matched before the many command routes.
  expressApp.use(createQueryRouter({ config, readModels, verifyToken, now }));
  const appliedIds = createAppliedIds({ readModels, projections });
  // A write's claim must outlast its read-your-writes wait, or a slow answer would let a retry run it again.
  const lockMs = config.readYourWritesTimeoutMs + 60_000;
  expressApp.use(createIdempotencyMiddleware({ store: idempotency, verifyToken, now, lockMs, logger }));
  expressApp.use(createCommandRouter({ config, eventStore, verifyToken, now, projections, appliedIds, logger }));
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
    await realtime.start();
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

  /** Graceful: stop intake (HTTP, sockets), drain background work, then close the stores. */
  const stop = async () => {
    if (started) {
      started = false;
      const closed = new Promise<void>((resolve) => httpServer.close(() => resolve()));
      httpServer.closeAllConnections();
      await realtime.stop();
      await closed;
    }
    await push.stop();
    await projections.stop();
    await idempotency.close();
    await readModels.close();
    await eventStore.close();
    await limiters.close();
  };

  const url = () => {
    const address = httpServer.address() as AddressInfo | null;
    if (!address) throw new Error('Server is not listening');
    const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    return `http://${host === '0.0.0.0' || host === '[::]' ? '127.0.0.1' : host}:${address.port}`;
  };

  return { config, eventStore, readModels, projections, push, httpServer, logger, url, start, stop };
};
