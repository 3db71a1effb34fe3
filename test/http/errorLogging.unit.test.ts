import { Writable } from 'node:stream';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import pino from 'pino';
import { createCorrelationMiddleware } from '../../src/http/correlation';
import { createErrorMiddleware } from '../../src/http/errorMiddleware';

describe('Given the correlation and error middlewares around a route that fails unexpectedly', () => {
  it('When a request with a correlation id hits the failure, then the 500 is logged with that id', async () => {
    const lines: Array<Record<string, unknown>> = [];
    const sink = new Writable({
      write: (chunk: Buffer, _encoding, done) => {
        lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
        done();
      },
    });
    const logger = pino({ level: 'info' }, sink);
    const app = express();
    app.use(createCorrelationMiddleware(logger));
    app.get('/boom', () => {
      throw new Error('disk on fire');
    });
    app.use(createErrorMiddleware(logger));
    const server = http.createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const response = await fetch(`http://127.0.0.1:${port}/boom`, { headers: { 'x-correlation-id': 'trace-42' } });
      expect(response.status).toBe(500);
      expect(await response.json()).toEqual({ message: 'Internal server error', code: 'INTERNAL_ERROR' });
      expect(lines).toContainEqual(
        expect.objectContaining({ msg: 'unhandled error', correlationId: 'trace-42', url: '/boom' }),
      );
    } finally {
      server.close();
    }
  });
});
