import type { NextFunction, Request, Response } from 'express';
import { v7 as uuidv7 } from 'uuid';
import type { Logger } from '../logger';

export const CORRELATION_HEADER = 'x-correlation-id';

/** Accepted from callers as is; anything else (too long, odd characters) is replaced. */
const VALID_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Takes the caller's `x-correlation-id` (or mints a UUID v7), echoes it in the response,
 * and puts it and a child logger carrying it on `res.locals`.
 */
export const createCorrelationMiddleware =
  (logger: Logger) =>
  (req: Request, res: Response, next: NextFunction): void => {
    const incoming = req.get(CORRELATION_HEADER);
    const correlationId = incoming && VALID_ID.test(incoming) ? incoming : uuidv7();
    res.locals.correlationId = correlationId;
    res.locals.logger = logger.child({ correlationId });
    res.setHeader(CORRELATION_HEADER, correlationId);
    next();
  };

/** The request's correlation id: the caller's sane one or a new UUID v7 (minted here if the middleware did not run). */
export const correlationIdOf = (res: Response): string => {
  if (typeof res.locals.correlationId !== 'string') res.locals.correlationId = uuidv7();
  return res.locals.correlationId as string;
};

/** The request's child logger, or `fallback` if the middleware did not run. */
export const requestLoggerOf = (res: Response, fallback: Logger): Logger =>
  (res.locals.logger as Logger | undefined) ?? fallback;
