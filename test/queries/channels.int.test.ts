import { createTestClock } from '../helpers/testApp';
import {
  adminWrite,
  createChannel,
  gatedChannel,
  openChannel,
  startTestApp,
  userToken,
  type TestApp,
} from '../helpers/apiTestKit';

type Item = { id: number; title: string; isJoined: boolean; isLocked: boolean };
const idsOf = (response: { body: { data: { items: Item[] } } }) => response.body.data.items.map((item) => item.id);

describe('Given channels created through the admin API at different instants', () => {
  const clock = createTestClock('2026-03-19T12:00:00.000Z');
  let server: TestApp;
  const created: number[] = [];
  let privateId: number;
  beforeAll(async () => {
    server = await startTestApp({ now: clock.now });
    // Two pairs share an instant, so the cursor must break ties by id.
    for (let i = 0; i < 5; i++) {
      if (i % 2 === 0) clock.advance(60_000);
      created.push(await createChannel(server, { ...openChannel, title: `Channel ${i}` }));
    }
    privateId = await createChannel(server, { ...openChannel, visibility: 'PRIVATE', title: 'Hidden' });
    created.push(await createChannel(server, gatedChannel));
  });
  afterAll(() => server.stop());

  it('When an anonymous caller lists, then public channels (gated ones too) come newest first with every spec field, private ones not', async () => {
    const response = await server.request('GET', '/api/mobile/channels');
    expect(response.status).toBe(200);
    expect(response.body.message).toBe('Channels fetched successfully');
    expect(idsOf(response)).toEqual([...created].reverse());
    expect(response.body.data.items[0]).toEqual({
      id: created[5],
      kind: 'BROADCAST',
      accessPolicy: 'EXTERNAL_GATED',
      status: 'ACTIVE',
      visibility: 'PUBLIC',
      title: 'VIP',
      description: null,
      createdAt: '2026-03-19T12:03:00.000Z',
      updatedAt: '2026-03-19T12:03:00.000Z',
      isJoined: false,
      isLocked: false,
    });
    expect(response.body.data).toMatchObject({ limit: 20, count: 6, has_more: false, cursor: { next_cursor: null } });
  });

  it('When listing two at a time with the opaque cursor, then every listed channel appears exactly once, in order', async () => {
    const seen: number[] = [];
    let cursor: string | null = null;
    for (;;) {
      const query: string = cursor ? `?limit=2&cursor=${encodeURIComponent(cursor)}` : '?limit=2';
      const page = await server.request('GET', `/api/mobile/channels${query}`);
      expect(page.status).toBe(200);
      seen.push(...idsOf(page));
      if (!page.body.data.has_more) break;
      cursor = page.body.data.cursor.next_cursor;
      expect(typeof cursor).toBe('string');
    }
    expect(seen).toEqual([...created].reverse());
  });

  it('When a channel is renamed, then the next list shows the new title', async () => {
    await adminWrite(server, 'PATCH', `/api/admin/channels/${created[0]}`, { title: 'Renamed' });
    const response = await server.request('GET', '/api/mobile/channels?limit=100');
    expect(response.body.data.items.find((item: Item) => item.id === created[0]).title).toBe('Renamed');
  });

  it.each([
    ['garbage', 'not-a-cursor!'],
    ['base64 of non-JSON', Buffer.from('hello').toString('base64url')],
    [
      'a cursor without an id',
      Buffer.from(JSON.stringify({ createdAt: '2026-03-19T12:00:00.000Z' })).toString('base64url'),
    ],
    ['a cursor with a bad date', Buffer.from(JSON.stringify({ createdAt: 'yesterday', id: 1 })).toString('base64url')],
  ])('When the cursor is %s, then 422', async (_label, cursor) => {
    const response = await server.request('GET', `/api/mobile/channels?cursor=${encodeURIComponent(cursor)}`);
    expect(response.status).toBe(422);
    expect(response.body.code).toBe('VALIDATION_ERROR');
  });

  it('When the limit is 0 or 101, then 422', async () => {
    expect((await server.request('GET', '/api/mobile/channels?limit=0')).status).toBe(422);
    expect((await server.request('GET', '/api/mobile/channels?limit=101')).status).toBe(422);
  });

  it('When the token is invalid, then the JWT being optional, the answer is the anonymous one and says the token was ignored', async () => {
    const ignored = await server.request('GET', '/api/mobile/channels', { token: 'nope' });
    expect(ignored.status).toBe(200);
    expect(ignored.headers.get('x-token-ignored')).toBe('Invalid token');
    expect(ignored.body).toEqual((await server.request('GET', '/api/mobile/channels')).body);
  });

  it('When GET /api/mobile/channels/{id} on an open channel, anonymously and as a user, then 200 with isJoined false and isLocked false', async () => {
    const anonymous = await server.request('GET', `/api/mobile/channels/${created[1]}`);
    expect(anonymous.status).toBe(200);
    expect(anonymous.body.message).toBe('Channel fetched successfully');
    expect(anonymous.body.data).toMatchObject({ id: created[1], isJoined: false, isLocked: false, title: 'Channel 1' });
    const user = await server.request('GET', `/api/mobile/channels/${created[1]}`, { token: userToken('u1') });
    expect(user.body.data).toMatchObject({ isJoined: false, isLocked: false });
  });

  it('When a private (unlisted) open channel is fetched by id, then it is readable like any open channel', async () => {
    const response = await server.request('GET', `/api/mobile/channels/${privateId}`);
    expect(response.status).toBe(200);
    expect(response.body.data.visibility).toBe('PRIVATE');
  });

  it('When the detail id is not numeric, unknown, or a gated channel without entitlement, then 400, 404, 403', async () => {
    expect((await server.request('GET', '/api/mobile/channels/3x')).status).toBe(400);
    expect((await server.request('GET', '/api/mobile/channels/999')).status).toBe(404);
    const gated = await server.request('GET', `/api/mobile/channels/${created[5]}`, { token: userToken('u1') });
    expect(gated.status).toBe(403);
    expect(gated.body.details).toEqual({ reason: 'ENTITLEMENT_REQUIRED', isLocked: false });
  });
});
