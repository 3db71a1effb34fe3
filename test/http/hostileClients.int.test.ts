import net from 'node:net';
import jwt from 'jsonwebtoken';
import { DEV_JWT_SECRET } from '../../src/config';
import { TEST_OPS_TOKEN } from '../helpers/testApp';
import { adminToken, createChannel, publishPost, signToken, startTestApp, type TestApp } from '../helpers/apiTestKit';

const expiredToken = signToken('user-1', 'user', -60);
const signWith = (payload: object) => jwt.sign(payload, DEV_JWT_SECRET, { algorithm: 'HS256' });

describe('Given a running server with an open channel and a post', () => {
  let server: TestApp;
  let channelId: number;
  let postId: string;
  beforeAll(async () => {
    server = await startTestApp();
    channelId = await createChannel(server);
    postId = (await publishPost(server, channelId)).id;
  });
  afterAll(() => server.stop());

  const optionalRoutes = () => [
    '/api/mobile/channels',
    `/api/mobile/channels/${channelId}`,
    `/api/mobile/channels/${channelId}/posts`,
    `/api/mobile/posts/${postId}`,
  ];

  it.each([
    ['an expired token', `Bearer ${expiredToken}`, 'Token expired'],
    ['a malformed token', 'Bearer not.a.jwt', 'Invalid token'],
    ['a header that is not Bearer', 'Basic dXNlcjpwYXNz', 'Authorization header must be "Bearer <token>"'],
  ])(
    'When a client sends %s to an optional-login route, then it gets the anonymous answer and a header saying the token was ignored',
    async (_case, authorization, reason) => {
      for (const route of optionalRoutes()) {
        const anonymous = await fetch(`${server.url}${route}`);
        const withToken = await fetch(`${server.url}${route}`, { headers: { authorization } });
        expect({ route, status: withToken.status }).toEqual({ route, status: 200 });
        expect(await withToken.json()).toEqual(await anonymous.json());
        expect(withToken.headers.get('x-token-ignored')).toBe(reason);
        expect(anonymous.headers.get('x-token-ignored')).toBeNull();
      }
    },
  );

  it('When an expired token reaches a route that requires a JWT, then it is still 401', async () => {
    const response = await server.request('GET', `/api/mobile/channels/${channelId}/discussion`, {
      token: expiredToken,
    });
    expect(response.status).toBe(401);
    expect(response.body).toMatchObject({ code: 'UNAUTHORIZED', message: 'Token expired' });
  });

  it('When a token expires in the year 3e12 (exp = 1e20), then it is 401', async () => {
    const response = await server.request('POST', `/api/mobile/channels/${channelId}/join`, {
      token: signWith({ sub: 'user-1', exp: 1e20 }),
    });
    expect(response.status).toBe(401);
    expect(response.body.message).toBe('Token expiry is out of range');
  });

  it('When a JSON body declares a charset nobody can decode (klingon), then 415 UNSUPPORTED_MEDIA_TYPE', async () => {
    const response = await fetch(`${server.url}/api/admin/channels`, {
      method: 'POST',
      headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json; charset=klingon' },
      body: '{}',
    });
    expect(response.status).toBe(415);
    expect(await response.json()).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE' });
  });

  it.each([['/metrics'], ['/ops/projections']])(
    'When %s is called without the ops token, then 401; with a user JWT 403; with the ops token or an admin JWT 200',
    async (route) => {
      const call = (authorization?: string) =>
        fetch(`${server.url}${route}`, { headers: authorization ? { authorization } : {} }).then((r) => r.status);
      expect(await call()).toBe(401);
      expect(await call('Bearer wrong-token-of-some-length')).toBe(401);
      expect(await call(`Bearer ${signToken('user-1')}`)).toBe(403);
      expect(await call(`Bearer ${TEST_OPS_TOKEN}`)).toBe(200);
      expect(await call(`Bearer ${adminToken}`)).toBe(200);
    },
  );

  it('When /health and /ready are called without a token, then they answer (load balancers probe them)', async () => {
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
    expect((await fetch(`${server.url}/ready`)).status).toBe(200);
  });
});

describe('Given a server with JWT_MAX_TTL_SECONDS=3600 and a 1.5 s request timeout', () => {
  let server: TestApp;
  beforeAll(async () => {
    server = await startTestApp({
      env: { JWT_MAX_TTL_SECONDS: '3600', HTTP_REQUEST_TIMEOUT_MS: '1500', HTTP_HEADERS_TIMEOUT_MS: '1000' },
    });
  });
  afterAll(() => server.stop());

  it('When a token lives two hours, then 401; when it lives half an hour, then it is accepted', async () => {
    const long = await server.request('PATCH', '/api/admin/channels/1', {
      token: signToken('admin-1', 'admin', 7200),
      body: { title: 'x' },
    });
    expect(long.status).toBe(401);
    expect(long.body.message).toBe('Token lifetime exceeds 3600 seconds');
    const noIat = await server.request('POST', '/api/mobile/channels/1/join', {
      token: jwt.sign({ sub: 'u', exp: Math.floor(Date.now() / 1000) + 7200 }, DEV_JWT_SECRET, { noTimestamp: true }),
    });
    expect(noIat.status).toBe(401);
    const short = await server.request('POST', '/api/mobile/channels/999/join', {
      token: signToken('u', 'user', 1800),
    });
    expect(short.status).toBe(404);
  });

  it('When a client trickles its body at 1 byte a second, then the server answers 408 and closes once the timeout passes', async () => {
    const { port } = new URL(server.url);
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = net.connect(Number(port), '127.0.0.1');
      let received = '';
      let timer: NodeJS.Timeout | undefined;
      socket.on('connect', () => {
        socket.write(
          `POST /api/admin/channels HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n`,
        );
        timer = setInterval(() => socket.write('{'), 1000);
      });
      socket.on('data', (chunk) => (received += chunk.toString()));
      socket.on('close', () => {
        clearInterval(timer);
        resolve(received);
      });
      socket.on('error', reject);
      // A generous bound: far above the 1.5 s timeout, far below Node's default of 300 s.
      setTimeout(() => {
        socket.destroy();
        reject(new Error('still open after 20 s'));
      }, 20_000).unref();
    });
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
  }, 30_000);
});
