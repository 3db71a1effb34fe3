import type { NextFunction, Request, Response } from 'express';
import { createPublicKey, createSecretKey, type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import type { Config } from '../config';
import { ForbiddenError, UnauthorizedError } from '../errors';
import { KEY_DESCRIPTION, KEY_PATTERN } from './validation';

export type Role = 'user' | 'admin' | 'service';

export type Principal = {
  /** The token's `sub`: a user id, an admin id or a service name depending on the role. */
  id: string;
  role: Role;
  /** Token expiry, epoch milliseconds. */
  expiresAt: number;
};

export type VerifyToken = (token: string) => Principal;

const ROLES: readonly Role[] = ['user', 'admin', 'service'];

/** Verifies a bearer token: explicit algorithm allow-list, `exp` required, optional issuer/audience. */
export const createTokenVerifier = (jwtConfig: Config['jwt']): VerifyToken => {
  // A ready KeyObject: given a string, jsonwebtoken first tries (and fails) to parse it as a public key on every call.
  const key =
    jwtConfig.algorithm === 'HS256'
      ? createSecretKey(Buffer.from(jwtConfig.key, 'utf8'))
      : createPublicKey(jwtConfig.key);
  return (token) => verifyWith(key, jwtConfig, token);
};

const verifyWith = (key: KeyObject, jwtConfig: Config['jwt'], token: string): Principal => {
  let payload: string | jwt.JwtPayload;
  try {
    payload = jwt.verify(token, key, {
      algorithms: [jwtConfig.algorithm],
      issuer: jwtConfig.issuer,
      audience: jwtConfig.audience,
    });
  } catch (error) {
    const reason = error instanceof jwt.TokenExpiredError ? 'Token expired' : 'Invalid token';
    throw new UnauthorizedError(reason);
  }
  if (typeof payload === 'string' || typeof payload.sub !== 'string' || payload.sub === '') {
    throw new UnauthorizedError('Token has no subject');
  }
  // The subject becomes a stream name and read-model key: the same alphabet as ids in paths.
  if (!KEY_PATTERN.test(payload.sub)) throw new UnauthorizedError(`Token subject must be ${KEY_DESCRIPTION}`);
  if (typeof payload.exp !== 'number') throw new UnauthorizedError('Token has no expiry');
  const role = (payload.role ?? 'user') as Role;
  if (!ROLES.includes(role)) throw new UnauthorizedError('Token has an unknown role');
  return { id: payload.sub, role, expiresAt: payload.exp * 1000 };
};

const bearerToken = (req: Request): string | undefined => {
  const header = req.headers.authorization;
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match) throw new UnauthorizedError('Authorization header must be "Bearer <token>"');
  return match[1];
};

export const principalOf = (res: Response): Principal | undefined => res.locals.principal as Principal | undefined;

/** The principal of an authenticated route; throws if the route forgot its guard. */
export const requirePrincipal = (res: Response): Principal => {
  const principal = principalOf(res);
  if (!principal) throw new UnauthorizedError();
  return principal;
};

/** Like the spec's OptionalJwtAuthGuard: no token is fine, a bad token is 401. */
export const optionalAuth = (verify: VerifyToken) => (req: Request, res: Response, next: NextFunction) => {
  const token = bearerToken(req);
  if (token) res.locals.principal = verify(token);
  next();
};

/** Like the spec's JwtAuthGuard, optionally restricted to roles. */
export const requireAuth =
  (verify: VerifyToken, ...roles: Role[]) =>
  (req: Request, res: Response, next: NextFunction) => {
    const token = bearerToken(req);
    if (!token) throw new UnauthorizedError();
    const principal = verify(token);
    if (roles.length > 0 && !roles.includes(principal.role)) {
      throw new ForbiddenError(`This route requires the ${roles.join(' or ')} role`);
    }
    res.locals.principal = principal;
    next();
  };
