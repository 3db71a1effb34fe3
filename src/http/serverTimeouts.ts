import type http from 'node:http';
import type { Limits } from '../limitsConfig';

/**
 * Explicit request timeouts instead of Node's defaults (a whole request may take 300 s): a
 * client trickling its headers or body at 1 byte/s is answered 408 by Node and closed once
 * the bound passes. Node checks open requests every `connectionsCheckingInterval`.
 */
export const httpServerOptions = (limits: Limits['http']): http.ServerOptions => ({
  requestTimeout: limits.requestTimeoutMs,
  headersTimeout: limits.headersTimeoutMs,
  connectionsCheckingInterval: Math.min(1000, Math.floor(limits.headersTimeoutMs / 2)),
});
