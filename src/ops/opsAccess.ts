import { timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { ForbiddenError, UnauthorizedError } from '../errors';
import type { VerifyToken } from '../http/auth';

const sameSecret = (given: string, expected: string): boolean => {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
};

/**
 * Guards /metrics and /ops/*: `Authorization: Bearer <OPS_TOKEN>` (what a Prometheus scraper
 * sends), or an admin JWT. /health and /ready stay open for load balancers.
 */
export const requireOpsAccess =
  (deps: { opsToken: string | undefined; verifyToken: VerifyToken }) =>
  (req: Request, _res: Response, next: NextFunction): void => {
    const match = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
    if (!match) throw new UnauthorizedError('The ops token or an admin JWT is required');
    const token = match[1];
    if (deps.opsToken !== undefined && sameSecret(token, deps.opsToken)) return next();
    let role: string;
    try {
      role = deps.verifyToken(token).role;
    } catch {
      throw new UnauthorizedError('The ops token or an admin JWT is required');
    }
    if (role !== 'admin') throw new ForbiddenError('Operations routes require the ops token or the admin role');
    next();
  };
