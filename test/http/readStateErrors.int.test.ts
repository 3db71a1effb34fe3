import jwt from 'jsonwebtoken';
import { createTestClock } from '../helpers/testApp';
import {
  adminToken,
  createChannel,
  expectNothingAppended,
  gatedChannel,
  publishPost,
  signToken,
  startTestApp,
  userToken,
  type TestApp,
} from '../helpers/apiTestKit';

/**
 * Spec, "Update Channel Read State": POST /api/mobile/channels/{id}/read-state, JWT required,
 * body { "last_seen_post_id": "<non-negative integer string>" }.
 * Common errors: 400 non-numeric id, 401 missing/invalid JWT, 403 not entitled, 404 channel not
 * found, 422 invalid last_seen_post_id. Rejected input must append nothing to the event log.
 */
describe('Given an OPEN broadcast channel with posts, and a gated one', () => {
  const clock = createTestClock('2026-03-19T12:00:00.000Z');
  let server: TestApp;
  let open: number;
  let gated: number;
  const alice = userToken('alice');
  const readState = (channel: number | string, options: { token?: string; body?: unknown } = {}) =>
    server.request('POST', `/api/mobile/channels/${channel}/read-state`, options);
  const valid = { last_seen_post_id: '1' };

  beforeAll(async () => {
    server = await startTestApp({ now: clock.now });
    open = await createChannel(server);
    gated = await createChannel(server, gatedChannel);
    for (let i = 0; i < 3; i++) await publishPost(server, open);
  });
  afterAll(() => server.stop());

  it.each([['abc'], ['3x'], ['x1']])(
    'When the channel id is non-numeric (%s), then it is 400 BAD_REQUEST and nothing is appended',
    async (id) => {
      const response = await expectNothingAppended(server, () => readState(id, { token: alice, body: valid }));
      expect(response.status).toBe(400);
      expect(response.body.code).toBe('BAD_REQUEST');
    },
  );

  it('When the channel does not exist, then it is 404 NOT_FOUND and nothing is appended', async () => {
    const response = await expectNothingAppended(server, () => readState(999, { token: alice, body: valid }));
    expect(response.status).toBe(404);
    expect(response.body.code).toBe('NOT_FOUND');
  });

  it.each([
    ['no token', undefined],
    [
      'a token signed with another secret',
      jwt.sign({ sub: 'alice', role: 'user' }, 'not-the-server-secret', { algorithm: 'HS256' }),
    ],
    ['an expired token', signToken('alice', 'user', -60)],
    ['a token that is not a JWT', 'not-a-jwt'],
  ])('When called with %s, then it is 401 UNAUTHORIZED and nothing is appended', async (_case, token) => {
    const response = await expectNothingAppended(server, () => readState(open, { token, body: valid }));
    expect(response.status).toBe(401);
    expect(response.body.code).toBe('UNAUTHORIZED');
  });

  it.each([
    ['a number', 5],
    ['null', null],
    ['an empty string', ''],
    ['a negative integer string', '-1'],
    ['a decimal string', '1.5'],
    ['an exponent string', '1e3'],
    ['a hex string', '0x10'],
    ['a string with a leading space', ' 1'],
    ['a string with a trailing newline', '1\n'],
    ['non-ASCII digits', '١٢'],
    ['31 digits', '1'.repeat(31)],
    ['an array', ['1']],
  ])(
    'When last_seen_post_id is %s, then it is 422 VALIDATION_ERROR naming the field and nothing is appended',
    async (_case, value) => {
      const response = await expectNothingAppended(server, () =>
        readState(open, { token: alice, body: { last_seen_post_id: value } }),
      );
      expect(response.status).toBe(422);
      expect(response.body.code).toBe('VALIDATION_ERROR');
      expect(response.body.details).toEqual(
        expect.arrayContaining([expect.objectContaining({ path: '/last_seen_post_id' })]),
      );
    },
  );

  it('When last_seen_post_id is missing, then it is 422 VALIDATION_ERROR and nothing is appended', async () => {
    const response = await expectNothingAppended(server, () => readState(open, { token: alice, body: {} }));
    expect(response.status).toBe(422);
    expect(response.body.code).toBe('VALIDATION_ERROR');
  });

  it('When the body carries an unknown field beside a valid cursor, then it is 422 VALIDATION_ERROR naming it and nothing is appended', async () => {
    const response = await expectNothingAppended(server, () =>
      readState(open, { token: alice, body: { last_seen_post_id: '1', lastSeenPostId: '2' } }),
    );
    expect(response.status).toBe(422);
    expect(response.body.code).toBe('VALIDATION_ERROR');
    expect(response.body.details).toEqual(
      expect.arrayContaining([expect.objectContaining({ property: 'lastSeenPostId' })]),
    );
  });

  it('When the body is not valid JSON, then it is 422 VALIDATION_ERROR and nothing is appended', async () => {
    const response = await expectNothingAppended(server, () =>
      readState(open, { token: alice, body: '{"last_seen_post_id": "1"' }),
    );
    expect(response.status).toBe(422);
    expect(response.body.code).toBe('VALIDATION_ERROR');
  });

  it('When an admin token is used on this user-only route, then it is 403 FORBIDDEN and nothing is appended', async () => {
    const response = await expectNothingAppended(server, () => readState(open, { token: adminToken, body: valid }));
    expect(response.status).toBe(403);
    expect(response.body.code).toBe('FORBIDDEN');
  });

  it('When alice is not entitled to the gated channel, then it is 403 FORBIDDEN with details.reason ENTITLEMENT_REQUIRED and nothing is appended', async () => {
    const response = await expectNothingAppended(server, () => readState(gated, { token: alice, body: valid }));
    expect(response.status).toBe(403);
    expect(response.body.code).toBe('FORBIDDEN');
    expect(response.body.details).toMatchObject({ reason: 'ENTITLEMENT_REQUIRED' });
  });

  it('When the input is valid, then it is 200 and the log grows (the control that shows the checks above can fail)', async () => {
    const head = async () => (await server.app.eventStore.headPosition()) ?? -1n;
    const before = await head();
    const response = await readState(open, { token: alice, body: { last_seen_post_id: '2' } });
    expect(response.status).toBe(200);
    expect(response.body.data).toEqual({
      channelId: open,
      lastSeenPostId: '2',
      lastSeenAt: '2026-03-19T12:00:00.000Z',
    });
    expect(await head()).toBeGreaterThan(before);
  });
});
