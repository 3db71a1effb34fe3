import type { ErrorRequestHandler } from 'express';
import type { Logger } from 'pino';
import { AppError } from '../errors';
import { requestLoggerOf } from './correlation';

/** Renders every error as `{ message, code, details? }` with the status the error carries; logs the unexpected ones. */
export const createErrorMiddleware =
  (logger: Logger): ErrorRequestHandler =>
  (error, req, res, _next) => {
    if (error instanceof AppError) {
      if (error.retryAfterSeconds !== undefined) res.setHeader('Retry-After', String(error.retryAfterSeconds));
      res.status(error.status).json({
        message: error.message,
        code: error.code,
        ...(error.details === undefined ? {} : { details: error.details }),
      });
      return;
    }
    // Body parser failures arrive as http-errors with a status and `type`.
    const status = (error as { status?: number }).status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      // 415: a charset or content encoding the JSON parser cannot read (e.g. `charset=klingon`).
      const code =
        status === 413 ? 'PAYLOAD_TOO_LARGE' : status === 415 ? 'UNSUPPORTED_MEDIA_TYPE' : 'VALIDATION_ERROR';
      res.status(status === 400 ? 422 : status).json({ message: (error as Error).message, code });
      return;
    }
    // The request's own logger carries its correlation id, so the caller's id finds this line.
    requestLoggerOf(res, logger).error({ err: error, method: req.method, url: req.originalUrl }, 'unhandled error');
    res.status(500).json({ message: 'Internal server error', code: 'INTERNAL_ERROR' });
  };
