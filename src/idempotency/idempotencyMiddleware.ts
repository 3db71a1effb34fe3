import type { Request, RequestHandler, Response } from 'express';
import { ConflictError, ValidationError } from '../errors';
import { verifyBearer, type Principal, type VerifyToken } from '../http/auth';
import type { Logger } from '../logger';
import type { IdempotencyId, IdempotencyStore } from './idempotencyStore';
import { fingerprintRequest, parseIdempotencyKey } from './requestFingerprint';

/** How long a key is remembered, from its first request (as Stripe does). */
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const HEADER = 'Idempotency-Key';

export type IdempotencyDeps = {
  store: IdempotencyStore;
  verifyToken: VerifyToken;
  now: () => Date;
  /** How long an unanswered request holds its key; past it, a process that died mid-request no longer blocks retries. */
  lockMs: number;
  logger: Logger;
};

/** The caller, when the request carries a valid bearer token; otherwise the route itself answers 401. */
const principalOf = (req: Request, res: Response, verifyToken: VerifyToken): Principal | undefined => {
  const match = /^Bearer\s+(\S+)$/i.exec(req.header('authorization') ?? '');
  if (!match) return undefined;
  try {
    return verifyBearer(res, match[1], verifyToken);
  } catch {
    return undefined;
  }
};

/**
 * `Idempotency-Key` on every write route (IETF draft, Stripe): the first request with a
 * key claims it; its 2xx answer is stored before it is sent, and a retry by the same
 * principal within 24 h gets that status and body back (`Idempotent-Replayed: true`)
 * without running again. An error answer appended nothing, so it is not kept: the
 * claim is released and a retry runs the command again.
 */
export const createIdempotencyMiddleware =
  (deps: IdempotencyDeps): RequestHandler =>
  async (req, res, next) => {
    if (!WRITE_METHODS.has(req.method)) return next();
    const key = parseIdempotencyKey(req.header(HEADER));
    if (key === undefined) return next();
    if (key === null) {
      throw new ValidationError(`${HEADER} must be 1-255 visible ASCII characters`, [
        { path: `/headers/${HEADER.toLowerCase()}`, message: 'must be 1-255 visible ASCII characters' },
      ]);
    }
    const principal = principalOf(req, res, deps.verifyToken);
    if (!principal) return next();
    const id: IdempotencyId = { scope: `${principal.role}:${principal.id}`, key };
    const claim = await deps.store.claim(id, {
      fingerprint: fingerprintRequest(req.method, req.originalUrl, req.body),
      now: deps.now(),
      lockMs: deps.lockMs,
      ttlMs: IDEMPOTENCY_TTL_MS,
    });
    switch (claim.outcome) {
      case 'claimed':
        recordAnswer(deps, id, claim.token, res);
        return next();
      case 'replay':
        res.setHeader('Idempotent-Replayed', 'true');
        res.status(claim.answer.status).json(claim.answer.body);
        return;
      case 'mismatch':
        throw new ValidationError(`${HEADER} was already used for a different request`, [
          {
            path: `/headers/${HEADER.toLowerCase()}`,
            message: 'was already used for a different request',
            reason: 'IDEMPOTENCY_KEY_REUSED',
          },
        ]);
      case 'inFlight':
        res.setHeader('Retry-After', '1');
        throw new ConflictError(`A request with this ${HEADER} is still in progress`, {
          reason: 'IDEMPOTENCY_KEY_IN_FLIGHT',
        });
      default: {
        const unexpected: never = claim;
        return unexpected;
      }
    }
  };

/** Wraps `res.json` so the answer is stored (2xx) or the claim released (anything else) before it goes out. */
const recordAnswer = (deps: IdempotencyDeps, id: IdempotencyId, token: string, res: Response): void => {
  const send = res.json.bind(res);
  let settled = false;
  res.json = (body: unknown) => {
    if (settled) return send(body);
    settled = true;
    const status = res.statusCode;
    const kept = status >= 200 && status < 300;
    const recorded = kept ? deps.store.complete(id, token, { status, body }) : deps.store.release(id, token);
    recorded.then(
      () => send(body),
      (error: unknown) => {
        // The command already ran: answer it anyway; the claim then blocks retries until its lock expires.
        deps.logger.error({ err: error, key: id.key }, 'could not record an idempotent answer');
        send(body);
      },
    );
    return res;
  };
  // A client that hangs up does not stop the command, which still answers through res.json
  // above; only an answer sent some other way (res.end) leaves nothing to replay, so it frees the key.
  res.once('finish', () => {
    if (settled) return;
    settled = true;
    deps.store.release(id, token).catch((error: unknown) => {
      deps.logger.error({ err: error, key: id.key }, 'could not release an idempotency key');
    });
  });
};
