import { io, type Socket } from 'socket.io-client';
import type { Ack, AccessRevokedNotice, ServerEventType } from '../../src/realtime/realtimeContract';

/** Tests read envelope fields loosely; the contract hook checks each one against its own schema. */
export type Envelope = { eventId: string; eventType: ServerEventType; occurredAt: string; data: Record<string, any> };
import { ACCESS_REVOKED_EVENT } from '../../src/realtime/realtimeContract';
import { checkAcknowledgement, checkServerEvent, reportContractViolation } from './contractCheck';

// Guards against hanging tests only; never a latency assertion.
const WAIT_MS = 8000;

export type TestSocket = {
  socket: Socket;
  /** Every server event received, in arrival order. */
  received: Envelope[];
  notices: AccessRevokedNotice[];
  /** Emits a client event and resolves with its acknowledgement. */
  call: <T = any>(event: string, ...args: unknown[]) => Promise<Ack<T>>;
  /** Resolves with the first received event (already or later) that matches. */
  waitFor: (match: (envelope: Envelope) => boolean, what?: string) => Promise<Envelope>;
  waitForNotice: (match?: (notice: AccessRevokedNotice) => boolean) => Promise<AccessRevokedNotice>;
  waitForDisconnect: () => Promise<string>;
  close: () => void;
};

/** Resolves with what `find` finds; rejects at once when a received event broke the contract. */
const waitUntil = <T>(
  find: () => T | undefined,
  subscribe: (check: () => void) => () => void,
  what: string,
  violation: () => Error | undefined,
) =>
  new Promise<T>((resolve, reject) => {
    const broken = violation();
    if (broken) return reject(broken);
    const found = find();
    if (found !== undefined) return resolve(found);
    const timer = setTimeout(() => {
      unsubscribe();
      reject(new Error(`Timed out waiting for ${what}`));
    }, WAIT_MS);
    const unsubscribe = subscribe(() => {
      const failed = violation();
      const value = failed ? undefined : find();
      if (!failed && value === undefined) return;
      clearTimeout(timer);
      unsubscribe();
      if (failed) reject(failed);
      else resolve(value as T);
    });
  });

/** A real socket.io-client connection; rejects with the server's connect_error. */
export const connectSocket = (
  url: string,
  token: string | undefined,
  options: { via?: 'auth' | 'header' } = {},
): Promise<TestSocket> => {
  const viaHeader = options.via === 'header' && token !== undefined;
  const socket = io(url, {
    auth: token === undefined || viaHeader ? {} : { token },
    ...(viaHeader ? { extraHeaders: { authorization: `Bearer ${token}` } } : {}),
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
  });
  const received: Envelope[] = [];
  const notices: AccessRevokedNotice[] = [];
  const violations: Error[] = [];
  const violation = () => violations[0];
  const listeners = new Set<() => void>();
  const notify = () => listeners.forEach((listener) => listener());
  const subscribe = (check: () => void) => {
    listeners.add(check);
    return () => listeners.delete(check);
  };
  socket.onAny((event: string, payload: unknown) => {
    // Every server event a test receives must match its message in /asyncapi.json; a mismatch fails the next wait.
    try {
      checkServerEvent(event, payload);
    } catch (error) {
      violations.push(error as Error);
      reportContractViolation(error as Error);
    }
    if (event === ACCESS_REVOKED_EVENT) notices.push(payload as AccessRevokedNotice);
    else received.push(payload as Envelope);
    notify();
  });
  const client: TestSocket = {
    socket,
    received,
    notices,
    call: async (event, ...args) => {
      const ack = await socket.timeout(WAIT_MS).emitWithAck(event, ...args);
      checkAcknowledgement(event, ack);
      return ack;
    },
    waitFor: (match, what = 'a server event') => waitUntil(() => received.find(match), subscribe, what, violation),
    waitForNotice: (match = () => true) =>
      waitUntil(() => notices.find(match), subscribe, 'an access notice', violation),
    waitForDisconnect: () =>
      new Promise((resolve) => {
        if (socket.disconnected) return resolve('already disconnected');
        socket.once('disconnect', (reason) => resolve(reason));
      }),
    close: () => {
      socket.disconnect();
    },
  };
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(client));
    socket.once('connect_error', (error) => {
      socket.close();
      reject(error);
    });
  });
};
