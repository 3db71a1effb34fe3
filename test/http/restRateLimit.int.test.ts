import jwt from 'jsonwebtoken';
import { signToken, startTestApp, type TestApp } from '../helpers/apiTestKit';

const budgets = (env: Record<string, string>) => ({
  RATE_LIMIT_IP_PER_MINUTE: '0',
  RATE_LIMIT_USER_PER_MINUTE: '0',
  RATE_LIMIT_ADMIN_PER_MINUTE: '0',
  RATE_LIMIT_SERVICE_PER_MINUTE: '0',
  ...env,
});

const statusesOf = async (server: TestApp, count: number, token?: string) => {
  const statuses: number[] = [];
  for (let i = 0; i < count; i += 1)
    statuses.push((await server.request('GET', '/api/mobile/channels', { token })).status);
  return statuses;
};

describe('Given a server allowing 5 requests a minute per address and 3 per user', () => {
  let server: TestApp;
  beforeAll(async () => {
    server = await startTestApp({ env: budgets({ RATE_LIMIT_IP_PER_MINUTE: '5', RATE_LIMIT_USER_PER_MINUTE: '3' }) });
  });
  afterAll(() => server.stop());

  it('When a user sends a fourth request, then 429 RATE_LIMITED with Retry-After in seconds', async () => {
    expect(await statusesOf(server, 3, signToken('user-1'))).toEqual([200, 200, 200]);
    const limited = await server.request('GET', '/api/mobile/channels', { token: signToken('user-1') });
    expect(limited.status).toBe(429);
    expect(limited.body).toMatchObject({ code: 'RATE_LIMITED' });
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
  });

  it('When another user and anonymous callers share the address, then the address budget stops them after 5 in all', async () => {
    // user-1 spent 4 of the address's 5 (its refused request counted against the address too).
    expect(await statusesOf(server, 2, signToken('user-2'))).toEqual([200, 429]);
    expect(await statusesOf(server, 1)).toEqual([429]);
  });

  it('When /health is probed, then it is never limited', async () => {
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
  });
});

describe('Given a server with per-address and per-user budgets', () => {
  let server: TestApp;
  beforeAll(async () => {
    server = await startTestApp({
      env: budgets({ RATE_LIMIT_IP_PER_MINUTE: '100', RATE_LIMIT_USER_PER_MINUTE: '100' }),
    });
  });
  afterAll(() => server.stop());

  it('When a user calls an optional-login route, then the token is verified once for the limit and the route together', async () => {
    const token = signToken('user-3');
    const verify = jest.spyOn(jwt, 'verify');
    try {
      const response = await server.request('GET', '/api/mobile/channels', { token });
      expect(response.status).toBe(200);
      expect(verify).toHaveBeenCalledTimes(1);
    } finally {
      verify.mockRestore();
    }
  });
});

describe('Given a server allowing 2 requests per address, 4 per admin and 6 per service a minute', () => {
  let server: TestApp;
  beforeAll(async () => {
    server = await startTestApp({
      env: budgets({
        RATE_LIMIT_IP_PER_MINUTE: '2',
        RATE_LIMIT_ADMIN_PER_MINUTE: '4',
        RATE_LIMIT_SERVICE_PER_MINUTE: '6',
      }),
    });
  });
  afterAll(() => server.stop());

  it('When the address is spent, then admin and service tokens still have their own budgets, each limited in turn', async () => {
    expect(await statusesOf(server, 3)).toEqual([200, 200, 429]);
    expect(await statusesOf(server, 5, signToken('admin-1', 'admin'))).toEqual([200, 200, 200, 200, 429]);
    expect(await statusesOf(server, 7, signToken('subscriptions', 'service'))).toEqual([
      200, 200, 200, 200, 200, 200, 429,
    ]);
  });
});

describe('Given the default budgets', () => {
  let server: TestApp;
  beforeAll(async () => {
    server = await startTestApp({ env: { RATE_LIMIT_USER_PER_MINUTE: '', RATE_LIMIT_IP_PER_MINUTE: '' } });
  });
  afterAll(() => server.stop());

  it('When a user sends 600 requests in a minute, then all pass and the 601st is 429 (the default budget)', async () => {
    const statuses = await statusesOf(server, 601, signToken('busy-user'));
    expect(statuses.slice(0, 600).every((status) => status === 200)).toBe(true);
    expect(statuses[600]).toBe(429);
  }, 60_000);
});
