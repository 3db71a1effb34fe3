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
/** 9999-12-31T23:59:59Z: an `exp` beyond it (e.g. 1e20) is not a date any clock or timer can hold. */
const LATEST_EXP_SECONDS = 253_402_300_799;

export type TokenPolicy = {
  /** Refuse tokens that live longer than this (exp − iat, or exp − now without iat). */
  maxTtlSeconds?: number;
};

/** Verifies a bearer token: explicit algorithm allow-list, `exp` required, optional issuer/audience. */
export const createTokenVerifier = (jwtConfig: Config['jwt'], policy: TokenPolicy = {}): VerifyToken => {
  // A ready KeyObject: given a string, jsonwebtoken first tries (and fails) to parse it as a public key on every call.
  const key =
    jwtConfig.algorithm === 'HS256'
      ? createSecretKey(Buffer.from(jwtConfig.key, 'utf8'))
      : createPublicKey(jwtConfig.key);
  return (token) => verifyWith(key, jwtConfig, policy, token);
};

const checkLifetime = (payload: jwt.JwtPayload, exp: number, policy: TokenPolicy): void => {
  if (exp > LATEST_EXP_SECONDS) throw new UnauthorizedError('Token expiry is out of range');
  if (policy.maxTtlSeconds === undefined) return;
  const issuedAt = typeof payload.iat === 'number' ? payload.iat : Date.now() / 1000;
  if (exp - Math.min(issuedAt, Date.now() / 1000) > policy.maxTtlSeconds) {
    throw new UnauthorizedError(`Token lifetime exceeds ${policy.maxTtlSeconds} seconds`);
  }
};

const verifyWith = (key: KeyObject, jwtConfig: Config['jwt'], policy: TokenPolicy, token: string): Principal => {
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
  checkLifetime(payload, payload.exp, policy);
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

/**
 * Verifies the request's bearer token once: the rate limit, the idempotency claim and the
 * route's guard all need the caller, and each HMAC or signature check costs. Only a token
 * that verified is remembered, for this response alone.
 */
export const verifyBearer = (res: Response, token: string, verify: VerifyToken): Principal => {
  const verified = res.locals.verifiedBearer as { token: string; principal: Principal } | undefined;
  if (verified?.token === token) return verified.principal;
  const principal = verify(token);
  res.locals.verifiedBearer = { token, principal };
  return principal;
};

export const principalOf = (res: Response): Principal | undefined => res.locals.principal as Principal | undefined;

/** The principal of an authenticated route; throws if the route forgot its guard. */
export const requirePrincipal = (res: Response): Principal => {
  const principal = principalOf(res);
  if (!principal) throw new UnauthorizedError();
  return principal;
};

/** Tells an anonymous answer from an optional-auth route that the token sent was not used, and why. */
export const TOKEN_IGNORED_HEADER = 'x-token-ignored';

/**
 * Like the spec's OptionalJwtAuthGuard (NestJS): no token, or a token that does not verify
 * (expired, malformed, bad signature), is an anonymous request. An app holding a stale token
 * can still browse public channels; the header says the token was ignored.
 */
export const optionalAuth = (verify: VerifyToken) => (req: Request, res: Response, next: NextFunction) => {
  try {
    const token = bearerToken(req);
    if (token) res.locals.principal = verifyBearer(res, token, verify);
  } catch (error) {
    if (!(error instanceof UnauthorizedError)) throw error;
    res.setHeader(TOKEN_IGNORED_HEADER, error.message);
  }
  next();
};

/** Like the spec's JwtAuthGuard, optionally restricted to roles. */
export const requireAuth =
  (verify: VerifyToken, ...roles: Role[]) =>
  (req: Request, res: Response, next: NextFunction) => {
    const token = bearerToken(req);
    if (!token) throw new UnauthorizedError();
    const principal = verifyBearer(res, token, verify);
    if (roles.length > 0 && !roles.includes(principal.role)) {
      throw new ForbiddenError(`This route requires the ${roles.join(' or ')} role`);
    }
    res.locals.principal = principal;
    next();
  };
