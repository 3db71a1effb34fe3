import type { Request, Response } from 'express';
import { v7 as uuidv7 } from 'uuid';
import type { Config } from '../config';
import { BadRequestError } from '../errors';
import { KEY_DESCRIPTION, KEY_PATTERN, parseId } from '../http/validation';
import type { EventMetadata } from '../eventStore/eventStore';
import { requirePrincipal, type VerifyToken } from '../http/auth';
import { correlationIdOf } from '../http/correlation';
import { sendWritten } from '../http/responses';
import type { Projections } from '../projections/projections';
import type { CommandContext, WriteModel } from './writeModel';

export type RouteDeps = {
  config: Config;
  model: WriteModel;
  verifyToken: VerifyToken;
  projections: Projections;
};

/** Event metadata for this request: the caller as actor, the request's correlation id, the request as the cause. */
export const metadataOf = (res: Response): EventMetadata => {
  const principal = requirePrincipal(res);
  return {
    actor: { type: principal.role, id: principal.id },
    correlationId: correlationIdOf(res),
    causationId: uuidv7(),
  };
};

export const contextOf = (deps: RouteDeps, req: Request, res: Response): CommandContext => ({
  model: deps.model,
  metadata: metadataOf(res),
});

/** Answers a write once the projections have applied it (bounded wait), so the client reads its own write. */
export const replyWritten = async (
  deps: RouteDeps,
  res: Response,
  written: { status: number; message: string; data: unknown; position: bigint },
): Promise<void> => {
  if (written.position > 0n)
    await deps.projections.waitForPosition(written.position, deps.config.readYourWritesTimeoutMs);
  sendWritten(res, written.status, written.message, written.data, written.position);
};

/** User ids and entitlement/feature keys in paths: opaque strings of a safe alphabet; anything else is 400. */
export const parseKey = (raw: string | undefined, name: string): string => {
  if (raw === undefined || !KEY_PATTERN.test(raw)) throw new BadRequestError(`${name} must be ${KEY_DESCRIPTION}`);
  return raw;
};

const pathParam = (req: Request, name: string): string | undefined => {
  const value = (req.params as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : undefined;
};

/** A numeric path id (400 when not a positive integer). */
export const pathId = (req: Request, name = 'id'): number => parseId(pathParam(req, name), name);

/** A user id or entitlement/feature key path segment (400 when malformed). */
export const pathKey = (req: Request, name: string): string => parseKey(pathParam(req, name), name);
