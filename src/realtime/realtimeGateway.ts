import type http from 'node:http';
import { Server } from 'socket.io';
import { v7 as uuidv7 } from 'uuid';
import type { Config } from '../config';
import type { EventStore } from '../eventStore/eventStore';
import type { VerifyToken } from '../http/auth';
import type { Logger } from '../logger';
import type { Projections } from '../projections/projections';
import type { ReadModelStore } from '../readModels/readModelStore';
import { createAccessEviction } from './accessEviction';
import { registerClientEvents } from './clientEventHandlers';
import { createPayloadValidators } from './clientPayloadSchemas';
import { createEventLocator, type EventLocator } from './eventLocator';
import { createLiveFeed } from './liveFeed';
import type { GatewayServer, GatewaySocket } from './realtimeContract';
import { attachRedisAdapter } from './redisAdapter';
import { defaultReplayPolicy, replayRoom, type ReplayPolicy } from './replayRoom';
import { createRoomAccess } from './roomAccess';
import { createServerEventMapping, type RoomEvent } from './serverEventMapping';
import { authenticateHandshake } from './socketAuth';
import { createSocketTimers } from './socketTimers';
import type { LimiterFactory } from '../http/rateLimiters';
import { createSendBufferGuard } from './sendBufferGuard';
import { createSocketLimits } from './socketLimits';

export type RealtimeGatewayDeps = {
  config: Config;
  httpServer: http.Server;
  eventStore: EventStore;
  readModels: ReadModelStore;
  verifyToken: VerifyToken;
  now: () => Date;
  logger: Logger;
  /** Evictions wait for the read models to include the event that changed access. */
  projections?: Pick<Projections, 'waitForPosition'>;
  replayPolicy?: ReplayPolicy;
  limiters: LimiterFactory;
};

const READ_MODEL_WAIT_MS = 2000;
const TOKEN_TIMER = 'token';

/**
 * GatewaySocket.io on the app's HTTP server: authenticated sockets, the spec's rooms and client
 * events, live deltas from the event log, replay from stream positions, and eviction
 * when access is lost.
 */
export const createRealtimeGateway = (deps: RealtimeGatewayDeps) => {
  const { config, eventStore, readModels, now, logger } = deps;
  const socketLimits = config.limits.socket;
  const policy = { ...(deps.replayPolicy ?? defaultReplayPolicy), maxBytes: socketLimits.syncMaxBytes };
  const limits = createSocketLimits(socketLimits, deps.limiters);
  const toServerEvent = createServerEventMapping({ mediaBaseUrl: config.mediaBaseUrl });
  const timers = createSocketTimers(now);
  const validators = createPayloadValidators();
  const roomAccess = createRoomAccess(readModels, now);
  const userGatewaySockets = new Map<string, Set<GatewaySocket>>();
  const channelOfRoom = new Map<string, number>();
  let io: GatewayServer | undefined;
  let redis: { close: () => Promise<void> } | undefined;
  let locator: EventLocator | undefined;
  let feed: ReturnType<typeof createLiveFeed> | undefined;

  const socketsOfUser = (userId: string): GatewaySocket[] => [...(userGatewaySockets.get(userId) ?? [])];

  const emit = ({ room, envelope }: RoomEvent) => {
    // Local only: every process sees every event on its own subscription (see redisAdapter.ts).
    // The typed emit wants one event name per call; the union of envelopes is sound here.
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion
    io?.local.to(room).emit(envelope.eventType, envelope as never);
  };

  const sendBuffer = createSendBufferGuard({
    maxBytes: socketLimits.maxSendBufferBytes,
    logger,
    sockets: () => io?.of('/').sockets.values() ?? [],
  });

  const track = (socket: GatewaySocket) => {
    if (!socket.data.principal) {
      // Real time, not the domain clock: this bounds how long an unauthenticated connection holds resources.
      const grace = setTimeout(() => socket.disconnect(true), socketLimits.authGraceMs);
      socket.once('disconnect', () => clearTimeout(grace));
      return;
    }
    const { userId, expiresAt } = socket.data.principal;
    const own = userGatewaySockets.get(userId) ?? new Set<GatewaySocket>();
    own.add(socket);
    userGatewaySockets.set(userId, own);
    // The token stops working at its expiry: the socket is disconnected then (handlers also refuse it).
    timers.schedule(socket.id, TOKEN_TIMER, expiresAt, () => socket.disconnect(true));
    socket.once('disconnect', () => {
      timers.cancelAll(socket.id);
      own.delete(socket);
      if (own.size === 0) userGatewaySockets.delete(userId);
    });
  };

  const start = async () => {
    const server: GatewayServer = new Server(deps.httpServer, { serveClient: false, maxHttpBufferSize: 64 * 1024 });
    io = server;
    if (config.redisUrl) redis = attachRedisAdapter(server, config.redisUrl, logger);
    locator = createEventLocator(eventStore, policy.maxDistance);
    const activeLocator = locator;
    const eviction = createAccessEviction({
      io: server,
      roomAccess,
      readModels,
      timers,
      waitForReadModels: (position) =>
        deps.projections ? deps.projections.waitForPosition(position, READ_MODEL_WAIT_MS) : Promise.resolve(true),
      socketsOfUser,
      channelIdOf: (room) => channelOfRoom.get(room) ?? null,
      now,
      logger,
      newEventId: uuidv7,
    });
    server.use(authenticateHandshake(deps.verifyToken, now));
    server.on('connection', (socket) => {
      track(socket);
      registerClientEvents(socket, {
        roomAccess,
        eviction,
        replay: (request) => replayRoom({ eventStore, locator: activeLocator, policy, now, toServerEvent }, request),
        validators,
        timers,
        rememberRoom: (grant) => channelOfRoom.set(grant.room, grant.channelId),
        now,
        logger,
        admit: limits.admit,
        afterAnswer: sendBuffer.check,
      });
    });
    sendBuffer.start();
    feed = createLiveFeed({ eventStore, toServerEvent, emit, onAccessChange: eviction.onAccessChange, logger });
    await feed.start();
  };

  /** Stops the feed, closes every socket (clients reconnect elsewhere), then the Redis clients. */
  const stop = async () => {
    await feed?.stop();
    sendBuffer.stop();
    timers.clear();
    await io?.close();
    await redis?.close();
    await locator?.close();
    userGatewaySockets.clear();
    io = undefined;
    feed = undefined;
    redis = undefined;
    locator = undefined;
  };

  /** Sockets connected to this process (for the metrics gauge). */
  const connectedSockets = () => io?.engine.clientsCount ?? 0;

  return { start, stop, connectedSockets };
};
