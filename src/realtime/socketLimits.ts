import { AppError } from '../errors';
import type { Limiter, LimiterFactory } from '../http/rateLimiters';
import type { Limits } from '../limitsConfig';
import type { GatewaySocket, SocketPrincipal } from './realtimeContract';

/** Wait suggested to a socket that has too many answers outstanding. */
const IN_FLIGHT_RETRY_MS = 250;

const rateLimited = (message: string, retryAfterMs: number) =>
  new AppError('RATE_LIMITED', 429, message, { retryAfterMs: Math.ceil(retryAfterMs) });

/** Points an event costs: a sync pays for the page it may read (1 + limit/100), anything else 1. */
export const costOf = (payload: unknown): number => {
  const limit = (payload as { limit?: unknown } | undefined)?.limit;
  return typeof limit === 'number' ? 1 + Math.floor(limit / 100) : 1;
};

export type Admit = (socket: GatewaySocket, principal: SocketPrincipal, cost: number) => Promise<() => void>;

/**
 * Per-socket limits on client events: at most `maxInFlight` unanswered events, and a
 * points budget per 10 s per socket and per user across all their sockets (shared across
 * nodes with Redis). Over a limit the ack is RATE_LIMITED with `details.retryAfterMs`.
 */
export const createSocketLimits = (limits: Limits['socket'], factory: LimiterFactory) => {
  const inFlight = new Map<string, number>();
  const perSocket = factory.create({ name: 'socket', points: limits.socketPointsPer10s, durationSeconds: 10 });
  const perUser = factory.create({ name: 'socket-user', points: limits.userPointsPer10s, durationSeconds: 10 });

  const wait = async (limiter: Limiter | undefined, key: string, cost: number) => (limiter ? limiter(key, cost) : null);

  /** Admits one event or throws RATE_LIMITED; the caller runs the returned release once answered. */
  const admit: Admit = async (socket, principal, cost) => {
    const current = inFlight.get(socket.id) ?? 0;
    if (current >= limits.maxInFlight) {
      throw rateLimited(`At most ${limits.maxInFlight} events may wait for their answer`, IN_FLIGHT_RETRY_MS);
    }
    inFlight.set(socket.id, current + 1);
    const release = () => {
      const left = (inFlight.get(socket.id) ?? 1) - 1;
      if (left <= 0) inFlight.delete(socket.id);
      else inFlight.set(socket.id, left);
    };
    try {
      const socketWait = await wait(perSocket, socket.id, cost);
      if (socketWait !== null) throw rateLimited('Too many events on this connection', socketWait);
      const userWait = await wait(perUser, principal.userId, cost);
      if (userWait !== null) throw rateLimited('Too many events from this user', userWait);
    } catch (error) {
      release();
      throw error;
    }
    return release;
  };

  return { admit };
};

export type SocketLimits = ReturnType<typeof createSocketLimits>;
