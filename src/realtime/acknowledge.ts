import type { ValidateFunction } from 'ajv';
import { AppError } from '../errors';
import { parseWith } from '../http/validation';
import type { Logger } from '../logger';
import type { Ack, AckErrorCode, GatewaySocket, SocketPrincipal } from './realtimeContract';
import { requireLivePrincipal } from './socketAuth';
import { costOf, type Admit } from './socketLimits';

const ackCodeOf = (error: AppError): AckErrorCode => {
  switch (error.code) {
    case 'UNAUTHORIZED':
    case 'FORBIDDEN':
    case 'NOT_FOUND':
    case 'VALIDATION_ERROR':
    case 'SERVICE_UNAVAILABLE':
      return error.code;
    case 'BAD_REQUEST':
      return 'VALIDATION_ERROR';
    case 'RATE_LIMITED':
      return 'RATE_LIMITED';
    case 'CONFLICT':
      return 'SERVICE_UNAVAILABLE';
    default: {
      const unexpected: never = error.code;
      return unexpected;
    }
  }
};

const failure = <Data>(code: AckErrorCode, message: string, details?: unknown): Ack<Data> => ({
  ok: false,
  error: details === undefined ? { code, message } : { code, message, details },
});

/**
 * Turns a handler into a Socket.io listener that always answers through the ack:
 * token still valid, payload valid against its AJV schema, within the socket's limits, then the handler. Typed
 * errors keep their code; anything else is SERVICE_UNAVAILABLE (and logged).
 */
export const acknowledged =
  <Payload, Data>(
    socket: GatewaySocket,
    deps: {
      now: () => Date;
      logger: Logger;
      event: string;
      /** Rate and in-flight limits; RATE_LIMITED when over. */
      admit?: Admit;
      /** Runs once the answer is handed to Socket.io (the send-buffer check). */
      afterAnswer?: () => void;
    },
    validate: ValidateFunction<Payload>,
    handle: (principal: SocketPrincipal, payload: Payload) => Promise<Data>,
  ) =>
  async (...args: unknown[]): Promise<void> => {
    // Socket.io passes the ack last; a client that sends no payload sends only the ack.
    const ack = typeof args[args.length - 1] === 'function' ? (args.pop() as (answer: Ack<Data>) => void) : undefined;
    let answer: Ack<Data>;
    try {
      const principal = requireLivePrincipal(socket, deps.now);
      const payload = parseWith(validate, args[0], 'Payload');
      const release = deps.admit ? await deps.admit(socket, principal, costOf(payload)) : undefined;
      try {
        answer = { ok: true, data: await handle(principal, payload) };
      } finally {
        release?.();
      }
    } catch (error) {
      if (error instanceof AppError) {
        answer = failure(ackCodeOf(error), error.message, error.details);
      } else {
        deps.logger.error({ err: error, event: deps.event }, 'realtime handler failed');
        answer = failure('SERVICE_UNAVAILABLE', 'Temporarily unavailable, retry later');
      }
    }
    ack?.(answer);
    deps.afterAnswer?.();
  };
