import { randomUUID } from 'node:crypto';

/**
 * autocannon `setupRequest` (loaded by path in its worker thread): every request gets a
 * fresh Idempotency-Key, as the client SDK sends with each write.
 */
const withIdempotencyKey = (request: { headers?: Record<string, string> }) => ({
  ...request,
  headers: { ...request.headers, 'idempotency-key': randomUUID() },
});

export = withIdempotencyKey;
