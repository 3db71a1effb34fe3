import type { Logger } from '../logger';
import type { GatewaySocket } from './realtimeContract';

const CHECK_EVERY_MS = 500;

type EnginePacket = { data?: unknown };
type EngineTransport = { socket?: { bufferedAmount?: number; terminate?: () => void } };

const packetBytes = (packet: EnginePacket): number => {
  const { data } = packet;
  if (typeof data === 'string') return data.length;
  if (data instanceof ArrayBuffer || ArrayBuffer.isView(data)) return data.byteLength;
  return 0;
};

/**
 * Bytes queued for a client that it has not read yet: packets engine.io holds back while the
 * transport is busy, plus what the websocket has handed to the OS socket but not yet sent.
 */
export const bufferedBytesOf = (socket: GatewaySocket): number => {
  const conn = socket.conn as unknown as { writeBuffer?: EnginePacket[]; transport?: EngineTransport };
  const queued = (conn.writeBuffer ?? []).reduce((sum, packet) => sum + packetBytes(packet), 0);
  return queued + (conn.transport?.socket?.bufferedAmount ?? 0);
};

/**
 * Disconnects a socket whose unread output passes `maxBytes` (a client that stopped reading
 * while large events are published). Checked after each answer and every half second. The
 * websocket is terminated at once: a graceful close would wait for the reader to drain first.
 * The client reconnects and resyncs with `sinceEventId`.
 */
export const createSendBufferGuard = (deps: {
  maxBytes: number;
  logger: Logger;
  sockets: () => Iterable<GatewaySocket>;
}) => {
  let timer: NodeJS.Timeout | undefined;

  const check = (socket: GatewaySocket): void => {
    if (!socket.connected) return;
    const buffered = bufferedBytesOf(socket);
    if (buffered <= deps.maxBytes) return;
    deps.logger.warn(
      {
        socketId: socket.id,
        userId: socket.data.principal?.userId,
        bufferedBytes: buffered,
        reason: 'SEND_BUFFER_FULL',
      },
      'disconnecting a socket that does not read its events',
    );
    const transport = (socket.conn as unknown as { transport?: EngineTransport }).transport;
    socket.disconnect(true);
    if (transport?.socket?.terminate) transport.socket.terminate();
    else socket.conn.close();
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
