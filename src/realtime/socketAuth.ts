import type { VerifyToken } from '../http/auth';
import { UnauthorizedError } from '../errors';
import type { GatewaySocket, SocketData, SocketPrincipal } from './realtimeContract';

const stripBearer = (value: unknown): string | undefined => {
  if (typeof value !== 'string') return undefined;
  const token = value.replace(/^Bearer\s+/i, '').trim();
  return token === '' ? undefined : token;
};

/** `auth.token` (socket.io's own place), else an `Authorization: Bearer` header. */
const tokenOf = (socket: GatewaySocket): string | undefined =>
  stripBearer((socket.handshake.auth as { token?: unknown } | undefined)?.token) ??
  stripBearer(socket.handshake.headers.authorization);

const authenticate = (verifyToken: VerifyToken, now: () => Date, token: string | undefined): SocketData => {
  if (!token) return { authError: 'A JWT is required (auth.token or an Authorization header)' };
  try {
    const principal = verifyToken(token);
    if (principal.expiresAt <= now().getTime()) return { authError: 'Token expired' };
    return { principal: { userId: principal.id, role: principal.role, expiresAt: principal.expiresAt } };
  } catch (error) {
    return { authError: error instanceof UnauthorizedError ? error.message : 'Invalid token' };
  }
};

/**
 * Handshake: every connection is accepted (the app's socket may serve more than
 * communication), and the token decides what it may do. The spec has the join/sync
 * handlers answer UNAUTHORIZED, so a socket without a valid JWT gets exactly that from
 * every communication event; it can join no room and so receives nothing.
 */
export const authenticateHandshake =
  (verifyToken: VerifyToken, now: () => Date) =>
  (socket: GatewaySocket, next: (error?: Error) => void): void => {
    socket.data = authenticate(verifyToken, now, tokenOf(socket));
    next();
  };

/** The socket's principal, or UNAUTHORIZED (no valid token, or it expired, also between timer ticks). */
export const requireLivePrincipal = (socket: GatewaySocket, now: () => Date): SocketPrincipal => {
  const { principal, authError } = socket.data;
  if (!principal) throw new UnauthorizedError(authError);
  if (principal.expiresAt <= now().getTime()) throw new UnauthorizedError('Token expired');
  return principal;
};
