import type { Logger } from '../logger';
import type { GatewaySocket } from './realtimeContract';

const CHECK_EVERY_MS = 500;

type EnginePacket = { data?: unknown };
type EngineTransport = { socket?: { bufferedAmount?: number } };

const packetBytes = (packet: EnginePacket): number => {
  const { data } = packet;
  if (typeof data === 'string') return data.length;
  if (data instanceof ArrayBuffer || ArrayBuffer.isView(data)) return data.byteLength;
  return 0;
};

/**
 * Per engine.io write buffer, the packets summed so far. Engine.io only appends to a write
 * buffer and replaces it with a new array when it flushes, so each packet is summed once:
 * a client that never reads (a long-polling one that stops polling) and keeps sending made
 * every answer sum its whole backlog again, a cost growing with the square of the backlog
 * that stalled the event loop for everyone.
 */
const summed = new WeakMap<EnginePacket[], { packets: number; bytes: number }>();

const queuedBytes = (buffer: EnginePacket[]): number => {
  let sum = summed.get(buffer);
  if (!sum || sum.packets > buffer.length) {
    sum = { packets: 0, bytes: 0 };
    summed.set(buffer, sum);
  }
  for (; sum.packets < buffer.length; sum.packets++) sum.bytes += packetBytes(buffer[sum.packets]);
  return sum.bytes;
};

/**
 * Bytes queued for a client that it has not read yet: packets engine.io holds back while the
 * transport is busy, plus what the websocket has handed to the OS socket but not yet sent.
 */
export const bufferedBytesOf = (socket: GatewaySocket): number => {
  const conn = socket.conn as unknown as { writeBuffer?: EnginePacket[]; transport?: EngineTransport };
  return queuedBytes(conn.writeBuffer ?? []) + (conn.transport?.socket?.bufferedAmount ?? 0);
};

/** WebSocket close code (4000–4999 are the application's) and reason a slow reader is closed with. */
export const SEND_BUFFER_FULL = { code: 4008, reason: 'SEND_BUFFER_FULL' } as const;

/** How long a closing slow reader may take to read up to the close frame before its TCP socket is destroyed. */
export const CLOSE_GRACE_MS = 5000;

type ClosableWebSocket = {
  readyState: number;
  close: (code: number, reason: string) => void;
  terminate: () => void;
  once: (event: 'close', listener: () => void) => void;
};

/**
 * Disconnects a socket whose unread output passes `maxBytes` (a client that stopped reading
 * while large events are published). Checked after each answer and every half second.
 * The websocket gets a close frame with code 4008 and reason `SEND_BUFFER_FULL` after what is
 * already queued, so a client that reads again sees why (socket.io-client: `disconnect` with
 * `transport close`, the close event in its details; it reconnects on its own and resyncs with
 * `sinceEventId`). Socket.io lets go of the socket at once (no more events queued, its packets
 * not yet handed to the websocket dropped), and the TCP socket is destroyed if the client has
 * not read up to the close frame within `CLOSE_GRACE_MS`.
 */
export const createSendBufferGuard = (deps: {
  maxBytes: number;
  logger: Logger;
  sockets: () => Iterable<GatewaySocket>;
  closeGraceMs?: number;
}) => {
  let timer: NodeJS.Timeout | undefined;

  const closeWithReason = (ws: ClosableWebSocket) => {
    ws.close(SEND_BUFFER_FULL.code, SEND_BUFFER_FULL.reason);
    const grace = setTimeout(() => ws.terminate(), deps.closeGraceMs ?? CLOSE_GRACE_MS);
    grace.unref();
    ws.once('close', () => clearTimeout(grace));
  };

  const check = (socket: GatewaySocket): void => {
    if (!socket.connected) return;
    const buffered = bufferedBytesOf(socket);
    if (buffered <= deps.maxBytes) return;
    deps.logger.warn(
      {
        socketId: socket.id,
        userId: socket.data.principal?.userId,
        bufferedBytes: buffered,
        reason: SEND_BUFFER_FULL.reason,
      },
      'disconnecting a socket that does not read its events',
    );
    const ws = (socket.conn as unknown as { transport?: { socket?: Partial<ClosableWebSocket> } }).transport?.socket;
    // The close frame first: engine.io's own close below would send one without a code.
    if (ws?.close && ws.terminate && ws.once) closeWithReason(ws as ClosableWebSocket);
    socket.conn.close(true);
  };

  const start = () => {
    timer = setInterval(() => {
      for (const socket of deps.sockets()) check(socket);
    }, CHECK_EVERY_MS);
    timer.unref();
  };

  const stop = () => clearInterval(timer);

  return { check, start, stop };
};
