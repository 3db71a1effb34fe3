import net from 'node:net';

/**
 * One raw HTTP/1.1 keep-alive connection: requests are written on it as they are sent, and
 * the responses it gets back are parsed by Content-Length, so a test can tell a request
 * answered from one the server closed the connection on.
 */
export const openKeepAliveConnection = async (url: string) => {
  const { hostname, port } = new URL(url);
  const socket = net.connect(Number(port), hostname);
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  const statuses: number[] = [];
  let buffer = Buffer.alloc(0);
  let waiting: (() => void) | undefined;
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  socket.on('error', () => {});
  socket.on('data', (chunk: Buffer) => {
    buffer = Buffer.concat([buffer, chunk]);
    for (;;) {
      const headerEnd = buffer.indexOf('\r\n\r\n');
      if (headerEnd === -1) return;
      const head = buffer.subarray(0, headerEnd).toString();
      const length = Number(/content-length: (\d+)/i.exec(head)?.[1] ?? 0);
      if (buffer.length < headerEnd + 4 + length) return;
      statuses.push(Number(head.split(' ')[1]));
      buffer = buffer.subarray(headerEnd + 4 + length);
      waiting?.();
    }
  });

  /** Writes a JSON POST on the connection; resolves once it is written, not answered. */
  const post = (requestPath: string, token: string, body: unknown) => {
    const payload = JSON.stringify(body);
    socket.write(
      `POST ${requestPath} HTTP/1.1\r\nHost: ${hostname}\r\nAuthorization: Bearer ${token}\r\n` +
        `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(payload)}\r\n\r\n${payload}`,
    );
  };

  /** Resolves once `count` responses have arrived. */
  const answered = (count: number) =>
    new Promise<void>((resolve) => {
      const check = () => statuses.length >= count && resolve();
      waiting = check;
      check();
    });

  return { post, answered, statuses, closed, destroy: () => socket.destroy() };
};
