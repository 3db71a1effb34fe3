import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import jwt from 'jsonwebtoken';
import { createApp, type App, type AppOptions } from '../../src/app';
import { DEV_JWT_SECRET, loadConfig, type Config } from '../../src/config';
import { checkHttpResponse } from './contractCheck';

export type TestClock = { now: () => Date; set: (iso: string) => void; advance: (ms: number) => void };

/** A clock tests can move; starts at the real time unless told otherwise. */
export const createTestClock = (start?: string): TestClock => {
  let current = start ? new Date(start) : new Date();
  return {
    now: () => new Date(current.getTime()),
    set: (iso) => {
      current = new Date(iso);
    },
    advance: (ms) => {
      current = new Date(current.getTime() + ms);
    },
  };
};

/** The ops token test servers run with (/metrics and /ops/* need it, or an admin JWT). */
export const TEST_OPS_TOKEN = 'test-ops-token-0123456789';

export const makeTempDir = (prefix = 'comm-test-'): string => fs.mkdtempSync(path.join(os.tmpdir(), prefix));

export const signToken = (sub: string, role: 'user' | 'admin' | 'service' = 'user', expiresInSeconds = 3600): string =>
  jwt.sign({ sub, role }, DEV_JWT_SECRET, { algorithm: 'HS256', expiresIn: expiresInSeconds });

export type HttpResponse<T = any> = { status: number; body: T; headers: Headers };

export type TestApp = {
  app: App;
  url: string;
  config: Config;
  request: <T = any>(
    method: string,
    path: string,
    options?: { token?: string; body?: unknown },
  ) => Promise<HttpResponse<T>>;
  /** Stops the server; keeps the data dir so a test can restart on it. */
  stop: () => Promise<void>;
};

/**
 * Starts the real server on an ephemeral port with embedded stores in a fresh temp
 * dir (or `dataDir` to reopen one). `env` overrides configuration.
 */
export const startTestApp = async (
  options: {
    now?: () => Date;
    dataDir?: string;
    env?: Record<string, string>;
    wrapEventStore?: AppOptions['wrapEventStore'];
  } = {},
): Promise<TestApp> => {
  const config = loadConfig({
    NODE_ENV: 'test',
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: options.dataDir ?? makeTempDir(),
    OPS_TOKEN: TEST_OPS_TOKEN,
    // Suites drive one server hard from one address; the rate-limit suites set their own budgets.
    RATE_LIMIT_IP_PER_MINUTE: '0',
    RATE_LIMIT_USER_PER_MINUTE: '0',
    RATE_LIMIT_ADMIN_PER_MINUTE: '0',
    RATE_LIMIT_SERVICE_PER_MINUTE: '0',
    ...options.env,
  });
  const app = createApp(config, { now: options.now, wrapEventStore: options.wrapEventStore });
  await app.start();
  const url = app.url();
  const request: TestApp['request'] = async (method, requestPath, requestOptions = {}) => {
    const headers: Record<string, string> = {};
    if (requestOptions.token) headers.authorization = `Bearer ${requestOptions.token}`;
    let body: string | undefined;
    if (requestOptions.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = typeof requestOptions.body === 'string' ? requestOptions.body : JSON.stringify(requestOptions.body);
    }
    const response = await fetch(`${url}${requestPath}`, { method, headers, body });
    const text = await response.text();
    const contentType = response.headers.get('content-type') ?? '';
    const parsed = text && contentType.includes('application/json') ? JSON.parse(text) : text || undefined;
    // Every response of every test that talks HTTP through here must match /openapi.json.
    checkHttpResponse(method, requestPath, response.status, parsed, contentType);
    return { status: response.status, body: parsed, headers: response.headers };
  };
  return { app, url, config, request, stop: () => app.stop() };
};
