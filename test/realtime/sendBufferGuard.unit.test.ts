import { bufferedBytesOf } from '../../src/realtime/sendBufferGuard';
import type { GatewaySocket } from '../../src/realtime/realtimeContract';

/**
 * A socket shaped as engine.io keeps it: packets appended to `writeBuffer` while the client
 * does not read, the array replaced by a new one when they are flushed. Each packet counts
 * how often its size is read.
 */
const givenUnreadSocket = () => {
  const conn = { writeBuffer: [] as Array<{ data: string }>, transport: { socket: { bufferedAmount: 0 } } };
  let reads = 0;
  const queue = (text: string) =>
    conn.writeBuffer.push({
      get data() {
        reads += 1;
        return text;
      },
    });
  const flush = () => (conn.writeBuffer = []);
  return { socket: { conn } as unknown as GatewaySocket, queue, flush, reads: () => reads };
};

describe('Given a socket whose client reads nothing while it keeps being answered', () => {
  it('When the guard measures it after each of 2,000 answers, then each packet is measured once and the total is exact', () => {
    const { socket, queue, reads } = givenUnreadSocket();
    let sizes = 0;

    for (let answer = 0; answer < 2000; answer++) {
      const text = `43${answer}[{"ok":false}]`;
      queue(text);
      sizes += text.length;
      expect(bufferedBytesOf(socket)).toBe(sizes);
    }

    expect(reads()).toBe(2000);
  });

  it('When its packets are flushed and new ones queued, then only the new ones count, plus what the websocket holds', () => {
    const { socket, queue, flush } = givenUnreadSocket();
    queue('a'.repeat(100));
    expect(bufferedBytesOf(socket)).toBe(100);

    flush();
    queue('b'.repeat(7));
    (socket.conn as unknown as { transport: { socket: { bufferedAmount: number } } }).transport.socket.bufferedAmount =
      50;

    expect(bufferedBytesOf(socket)).toBe(57);
  });
});
