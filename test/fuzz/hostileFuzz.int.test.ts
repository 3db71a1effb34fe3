import fc from 'fast-check';
import {
  adminToken,
  createChannel,
  publishPost,
  serviceToken,
  signToken,
  startTestApp,
  type TestApp,
} from '../helpers/apiTestKit';
import { connectSocket, type TestSocket } from '../helpers/socketClient';
import { TEST_OPS_TOKEN } from '../helpers/testApp';

/**
 * Property: whatever a client sends (bodies, query strings, path ids, headers, socket
 * payloads), the real server answers without a 5xx, keeps the connection, and appends
 * nothing for a rejected input. FUZZ_RUNS raises the number of runs (default 200 per property).
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 200);

const ROUTES: Array<[string, string]> = [
  ['GET', '/api/mobile/channels'],
  ['GET', '/api/mobile/channels/{id}'],
  ['GET', '/api/mobile/channels/{id}/posts'],
  ['GET', '/api/mobile/posts/{id}'],
  ['GET', '/api/mobile/channels/{id}/discussion'],
  ['GET', '/api/mobile/channels/{id}/discussion/messages'],
  ['POST', '/api/mobile/channels/{id}/join'],
  ['POST', '/api/mobile/channels/{id}/leave'],
  ['POST', '/api/mobile/channels/{id}/read-state'],
  ['POST', '/api/mobile/channels/{id}/discussion/messages'],
  ['PATCH', '/api/mobile/discussion-messages/{id}'],
  ['DELETE', '/api/mobile/discussion-messages/{id}'],
  ['POST', '/api/admin/channels'],
  ['PATCH', '/api/admin/channels/{id}'],
  ['POST', '/api/admin/channels/{id}/posts'],
  ['PATCH', '/api/admin/posts/{id}'],
  ['DELETE', '/api/admin/posts/{id}'],
  ['POST', '/api/admin/posts/{id}/pin'],
  ['DELETE', '/api/admin/posts/{id}/pin'],
  ['PUT', '/api/admin/channels/{id}/discussion'],
  ['POST', '/api/admin/channels/{id}/discussion/messages'],
  ['DELETE', '/api/admin/discussion-messages/{id}'],
  ['POST', '/api/admin/discussion-messages/{id}/restore'],
  ['PUT', '/api/admin/channels/{id}/discussion/bans/{key}'],
  ['DELETE', '/api/admin/channels/{id}/discussion/bans/{key}'],
  ['PUT', '/api/admin/channels/{id}/discussion/mutes/{key}'],
  ['DELETE', '/api/admin/channels/{id}/discussion/mutes/{key}'],
  ['PUT', '/api/integrations/users/{key}/entitlements/{key}'],
  ['DELETE', '/api/integrations/users/{key}/entitlements/{key}'],
  ['PUT', '/api/integrations/users/{key}/features/{key}'],
  ['DELETE', '/api/integrations/users/{key}/features/{key}'],
  ['GET', '/health'],
  ['GET', '/ready'],
  ['GET', '/metrics'],
  ['GET', '/ops/projections'],
];

const CLIENT_EVENTS = [
  'communication:join_channel_posts',
  'communication:leave_channel_posts',
  'communication:join_discussion',
  'communication:leave_discussion',
  'communication:sync_channel_posts',
  'communication:sync_discussion',
];
const ACK_CODES = ['UNAUTHORIZED', 'FORBIDDEN', 'NOT_FOUND', 'VALIDATION_ERROR', 'SERVICE_UNAVAILABLE', 'RATE_LIMITED'];

const nested = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;

// Mostly ids and keys that exist (so requests reach the checks behind the path), else anything.
const pathSegment = fc.oneof(
  { arbitrary: fc.constantFrom('1', 'user-1', 'vip'), weight: 6 },
  fc.constantFrom('2', '3', '0', '-1', '1e3', '9007199254740993', '99999999999999999999', '..', '.'),
  fc.string({ maxLength: 30 }).map(encodeURIComponent),
  fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }).map(String),
  fc.constantFrom('%00', '%2e%2e', '%ZZ', 'a%2Fb', '%F0%9F%92%A9'),
);

const query = fc.dictionary(
  fc.constantFrom('limit', 'cursor', 'after_id', 'before_id', 'view', 'x', 'limit[]', '__proto__', 'constructor'),
  fc.oneof(fc.string({ maxLength: 40 }), fc.integer().map(String), fc.constantFrom('', '0', '101', 'full', 'compact')),
  { maxKeys: 4 },
);

const attachment = fc.record(
  {
    storageKey: fc.oneof(fc.string({ maxLength: 40 }), fc.constantFrom('posts/a.png', '../x', '/abs', 'a\\b')),
    fileName: fc.string({ maxLength: 20 }),
    mimeType: fc.constantFrom('image/png', 'x', ''),
    sizeBytes: fc.oneof(fc.integer(), fc.double(), fc.constant(2 ** 64)),
    displayOrder: fc.integer({ min: -5, max: 5 }),
  },
  { requiredKeys: [] },
);

/** Bodies that look like the real thing (so they reach the deeper checks) and bodies that do not. */
const jsonBody = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }),
  fc.record(
    {
      kind: fc.constantFrom('BROADCAST', 'GROUP', 'x'),
      accessPolicy: fc.constantFrom('OPEN', 'EXTERNAL_GATED', 1),
      visibility: fc.constantFrom('PUBLIC', 'PRIVATE'),
      title: fc.string({ maxLength: 210 }),
      entitlementKey: fc.oneof(fc.constant(null), fc.string({ maxLength: 10 })),
      status: fc.constantFrom('ACTIVE', 'ARCHIVED', 'DELETED'),
      type: fc.constantFrom('TEXT', 'LINK', 'CHART', 'MEDIA', 'VIDEO'),
      bodyText: fc.oneof(fc.string({ maxLength: 50 }), fc.constant(null), fc.integer()),
      linkUrl: fc.oneof(fc.webUrl(), fc.string({ maxLength: 20 })),
      chartPayloadJson: fc.jsonValue({ maxDepth: 6 }),
      attachments: fc.array(attachment, { maxLength: 3 }),
      body: fc.string({ maxLength: 50 }),
      last_seen_post_id: fc.oneof(fc.string({ maxLength: 35 }), fc.integer()),
      until: fc.oneof(
        fc.date().map((date) => (Number.isNaN(date.getTime()) ? 'x' : date.toISOString())),
        fc.string(),
      ),
      validUntil: fc.oneof(fc.constant('2030-12-31T23:59:60Z'), fc.constant(null), fc.string({ maxLength: 10 })),
      isEnabled: fc.oneof(fc.boolean(), fc.constant('yes')),
      slowModeIntervalSeconds: fc.oneof(fc.integer(), fc.constant(null)),
      requiredFeatureKey: fc.oneof(fc.constant(null), fc.string({ maxLength: 10 })),
    },
    { requiredKeys: [] },
  ),
);

const rawBody = fc.oneof(
  jsonBody.map((value) => JSON.stringify(value)),
  fc.string({ maxLength: 60 }),
  fc.integer({ min: 30, max: 5000 }).map(nested),
  fc.integer({ min: 30, max: 5000 }).map((depth) => `{"type":"CHART","chartPayloadJson":${nested(depth)}}`),
  fc.constantFrom('{"a":1', '{"__proto__":{"polluted":1}}', '[]', 'null', '1e999', '"\\ud800"', ''),
);

const auth = fc.oneof(
  { arbitrary: fc.constant(`Bearer ${adminToken}`), weight: 4 },
  { arbitrary: fc.constant(`Bearer ${signToken('fuzz-user')}`), weight: 2 },
  fc.constantFrom<string | undefined>(
    undefined,
    `Bearer ${serviceToken}`,
    `Bearer ${signToken('fuzz-user', 'user', -10)}`,
    `Bearer ${TEST_OPS_TOKEN}`,
    'Bearer garbage',
    'Basic Zm9vOmJhcg==',
  ),
);

const contentType = fc.oneof(
  { arbitrary: fc.constant('application/json'), weight: 5 },
  fc.constantFrom(
    'application/json; charset=utf-8',
    'application/json; charset=klingon',
    'text/plain',
    'application/x-www-form-urlencoded',
    'application/json; charset=utf-16',
  ),
);

describe('Given the real server with a few channels, posts and a discussion', () => {
  let server: TestApp;
  let socket: TestSocket;
  beforeAll(async () => {
    server = await startTestApp({
      env: { SOCKET_MAX_IN_FLIGHT: '1000', SOCKET_POINTS_PER_10S: '1000000', SOCKET_USER_POINTS_PER_10S: '1000000' },
    });
    const channelId = await createChannel(server);
    await publishPost(server, channelId);
    await server.request('PUT', `/api/admin/channels/${channelId}/discussion`, {
      token: adminToken,
      body: { title: 'Talk' },
    });
    socket = await connectSocket(server.url, signToken('fuzz-user'));
  });
  afterAll(async () => {
    socket.close();
    await server.stop();
  });

  it('When any route gets generated path ids, query strings, headers and bodies, then never a 5xx, never a dropped connection, and a rejected request appends nothing', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...ROUTES),
        fc.array(pathSegment, { minLength: 3, maxLength: 3 }),
        query,
        fc.option(rawBody, { nil: undefined }),
        auth,
        contentType,
        async ([method, template], segments, params, body, authorization, type) => {
          let i = 0;
          const path = template.replace(/\{(id|key)\}/g, () => segments[i++]);
          const search = new URLSearchParams(params).toString();
          const headers: Record<string, string> = {};
          if (authorization) headers.authorization = authorization;
          if (body !== undefined) headers['content-type'] = type;
          const before = await server.app.eventStore.headPosition();
          const response = await fetch(`${server.url}${path}${search ? `?${search}` : ''}`, {
            method,
            headers,
            body: method === 'GET' ? undefined : body,
          });
          const text = await response.text();
          expect({ method, path, status: response.status, text: text.slice(0, 200) }).toEqual(
            expect.objectContaining({ status: expect.any(Number) }),
          );
          if (response.status >= 500)
            throw new Error(`${method} ${path} answered ${response.status}: ${text.slice(0, 300)}`);
          if (response.status >= 400) expect(await server.app.eventStore.headPosition()).toBe(before);
        },
      ),
      { numRuns: RUNS },
    );
  }, 120_000);

  it('When the write routes get generated bodies with a token of their role, then never a 5xx and a rejected body appends nothing', async () => {
    const writes = ROUTES.filter(([method]) => method === 'POST' || method === 'PUT' || method === 'PATCH');
    const tokenFor = (path: string) =>
      path.startsWith('/api/admin')
        ? adminToken
        : path.startsWith('/api/integrations')
          ? serviceToken
          : signToken('fuzz-user');
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...writes),
        fc.oneof(
          rawBody,
          fc
            .integer({ min: 1, max: 6000 })
            .map((depth) => `{"type":"CHART","chartPayloadJson":${'['.repeat(depth)}${']'.repeat(depth)}}`),
        ),
        async ([method, template], body) => {
          const path = template.replace(/\{id\}/g, '1').replace(/\{key\}/g, 'user-1');
          const before = await server.app.eventStore.headPosition();
          const response = await fetch(`${server.url}${path}`, {
            method,
            headers: { authorization: `Bearer ${tokenFor(path)}`, 'content-type': 'application/json' },
            body,
          });
          const text = await response.text();
          if (response.status >= 500)
            throw new Error(`${method} ${path} answered ${response.status}: ${text.slice(0, 300)}`);
          if (response.status >= 400) expect(await server.app.eventStore.headPosition()).toBe(before);
        },
      ),
      { numRuns: RUNS },
    );
  }, 120_000);

  it('When any client event gets generated payloads (or none, or extra arguments), then every one is answered with the contract shape and the socket stays connected', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...CLIENT_EVENTS),
        fc.oneof(
          fc.anything({ maxDepth: 3 }),
          fc.record(
            {
              channelId: fc.oneof(
                fc.integer({ min: -2, max: 5 }),
                fc.double(),
                fc.string({ maxLength: 5 }),
                fc.constant(2 ** 64),
              ),
              discussionId: fc.oneof(fc.integer({ min: -2, max: 5 }), fc.constant(null)),
              sinceEventId: fc.oneof(fc.uuid(), fc.string({ maxLength: 70 })),
              limit: fc.oneof(fc.integer({ min: -5, max: 2000 }), fc.double()),
            },
            { requiredKeys: [] },
          ),
        ),
        fc.boolean(),
        async (event, payload, extraArgument) => {
          const before = await server.app.eventStore.headPosition();
          const args = extraArgument ? [payload, 'extra'] : [payload];
          const ack = (await socket.socket.timeout(8000).emitWithAck(event, ...args)) as {
            ok: boolean;
            error?: { code: string };
          };
          if (!ack.ok) expect(ACK_CODES).toContain(ack.error?.code);
          expect(ack.error?.code).not.toBe('SERVICE_UNAVAILABLE');
          expect(socket.socket.connected).toBe(true);
          expect(await server.app.eventStore.headPosition()).toBe(before);
        },
      ),
      { numRuns: RUNS },
    );
  }, 120_000);
});
