import { createTestClock } from '../helpers/testApp';
import {
  createChannel,
  expectNothingAppended,
  openChannel,
  startTestApp,
  userToken,
  type TestApp,
} from '../helpers/apiTestKit';

/**
 * Spec, "Leave Channel": "Supported for broadcast channels only." README product decision:
 * join/leave on a non-broadcast channel = 409.
 */
describe('Given an OPEN GROUP channel and an OPEN BROADCAST channel', () => {
  const clock = createTestClock('2026-03-19T12:00:00.000Z');
  let server: TestApp;
  let group: number;
  let broadcast: number;
  const alice = userToken('alice');
  const leave = (channelId: number) =>
    server.request('POST', `/api/mobile/channels/${channelId}/leave`, { token: alice });

  beforeAll(async () => {
    server = await startTestApp({ now: clock.now });
    group = await createChannel(server, { ...openChannel, kind: 'GROUP', title: 'Traders group' });
    broadcast = await createChannel(server, openChannel);
  });
  afterAll(() => server.stop());

  it('When alice leaves the GROUP channel, then it is 409 CONFLICT and nothing is appended', async () => {
    const response = await expectNothingAppended(server, () => leave(group));
    expect(response.status).toBe(409);
    expect(response.body.code).toBe('CONFLICT');
  });

  it('When alice leaves the GROUP channel again, then it is still 409 CONFLICT and nothing is appended', async () => {
    const response = await expectNothingAppended(server, () => leave(group));
    expect(response.status).toBe(409);
    expect(response.body.code).toBe('CONFLICT');
  });

  it('When alice joins and then leaves the BROADCAST channel, then both are 200 (the control: same user, same route, only the kind differs)', async () => {
    const joined = await server.request('POST', `/api/mobile/channels/${broadcast}/join`, { token: alice });
    expect(joined.status).toBe(200);
    const left = await leave(broadcast);
    expect(left.status).toBe(200);
    expect(left.body.data).toMatchObject({ channelId: broadcast, isJoined: false, leftAt: '2026-03-19T12:00:00.000Z' });
  });
});
