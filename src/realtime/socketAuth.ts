import type { VerifyToken } from '../http/auth';
import { UnauthorizedError } from '../errors';
import type { GatewaySocket, SocketData } from './realtimeContract';

type HandshakeError = Error & { data: { code: 'UNAUTHORIZED'; message: string } };

const handshakeError = (message: string): HandshakeError =>
  Object.assign(new Error(message), { data: { code: 'UNAUTHORIZED' as const, message } });

const tokenOf = (auth: unknown): string | undefined => {
  const token = (auth as { token?: unknown } | undefined)?.token;
  if (typeof token !== 'string' || token === '') return undefined;
  return token.replace(/^Bearer\s+/i, '');
};

/**
 * Handshake guard: a connection without a valid, unexpired JWT in `auth.token` is
 * refused (the client gets `connect_error` with `data.code = "UNAUTHORIZED"`), because
 * every client event needs one. The principal lives on `socket.data` for the socket's life.
 */
export const authenticateHandshake =
  (verifyToken: VerifyToken, now: () => Date) =>
  (socket: GatewaySocket, next: (error?: Error) => void): void => {
    const token = tokenOf(socket.handshake.auth);
    if (!token) return next(handshakeError('auth.token (a JWT) is required'));
    try {
      const principal = verifyToken(token);
      if (principal.expiresAt <= now().getTime()) return next(handshakeError('Token expired'));
      const data: SocketData = { userId: principal.id, role: principal.role, expiresAt: principal.expiresAt };
      socket.data = data;
      next();
    } catch (error) {
      next(handshakeError(error instanceof UnauthorizedError ? error.message : 'Invalid token'));
    }
  };

/** The socket's principal, or UNAUTHORIZED once its token has expired (also between timer ticks). */
export const requireLivePrincipal = (socket: GatewaySocket, now: () => Date): SocketData => {
  const data = socket.data as SocketData | undefined;
  if (!data?.userId) throw new UnauthorizedError();
  if (data.expiresAt <= now().getTime()) throw new UnauthorizedError('Token expired');
  return data;
};
