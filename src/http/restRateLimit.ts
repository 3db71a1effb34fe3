import type { NextFunction, Request, Response } from 'express';
import { RateLimitedError } from '../errors';
import type { Limits } from '../limitsConfig';
import { verifyBearer, type Principal, type Role, type VerifyToken } from './auth';
import type { Limiter, LimiterFactory } from './rateLimiters';

/** The caller a bearer token names, if it verifies; limits never answer 401 themselves. */
const callerOf = (req: Request, res: Response, verifyToken: VerifyToken): Principal | undefined => {
  const match = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
  if (!match) return undefined;
  try {
    return verifyBearer(res, match[1], verifyToken);
  } catch {
    return undefined;
  }
};

/**
 * REST budgets per minute (rate-limiter-flexible): `user` tokens spend their own budget and
 * their address's; anonymous callers only their address's (`req.ip`, see TRUST_PROXY);
 * `admin` and `service` tokens have budgets of their own and skip the address budget (the
 * back office and the subscription system call from a few addresses). Over budget: 429
 * RATE_LIMITED with Retry-After.
 */
export const createRestRateLimit = (deps: {
  limits: Limits['rest'];
  factory: LimiterFactory;
  verifyToken: VerifyToken;
}) => {
  const { limits, factory } = deps;
  const perIp = factory.create({ name: 'rest-ip', points: limits.ipPerMinute, durationSeconds: 60 });
  const perRole: Record<Role, Limiter | undefined> = {
    user: factory.create({ name: 'rest-user', points: limits.userPerMinute, durationSeconds: 60 }),
    admin: factory.create({ name: 'rest-admin', points: limits.adminPerMinute, durationSeconds: 60 }),
    service: factory.create({ name: 'rest-service', points: limits.servicePerMinute, durationSeconds: 60 }),
  };

  const waitFor = async (req: Request, res: Response): Promise<{ waitMs: number; who: string } | null> => {
    const caller = callerOf(req, res, deps.verifyToken);
    if (caller === undefined || caller.role === 'user') {
      const ipWait = perIp ? await perIp(req.ip ?? 'unknown') : null;
      if (ipWait !== null) return { waitMs: ipWait, who: 'this address' };
    }
    if (caller === undefined) return null;
    const limiter = perRole[caller.role];
    const roleWait = limiter ? await limiter(caller.id) : null;
    return roleWait === null ? null : { waitMs: roleWait, who: `this ${caller.role}` };
  };

  return (req: Request, res: Response, next: NextFunction): void => {
    waitFor(req, res).then((limited) => {
      if (limited === null) return next();
      const seconds = Math.max(1, Math.ceil(limited.waitMs / 1000));
      next(new RateLimitedError(`Too many requests from ${limited.who}; retry in ${seconds} s`, seconds));
    }, next);
  };
};
