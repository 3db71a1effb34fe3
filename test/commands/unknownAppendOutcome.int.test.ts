import { streams } from '../../src/commands/streams';
import { AppendOutcomeUnknownError } from '../../src/errors';
import type { EventStore, ExpectedRevision } from '../../src/eventStore/eventStore';
import { adminToken, createChannel, startTestApp, userToken, type TestApp } from '../helpers/apiTestKit';

/**
 * Around the real (SQLite) store, a transport that loses the answer of the next appends of
 * `eventType` after the store wrote them, as a dropped gRPC connection or a passed deadline
 * does with EventStoreDB (the adapter reports those as AppendOutcomeUnknownError).
 */
const answerLostAfterCommit = (eventType: string) => {
  let failures = 0;
  const attempts: Array<{ ids: string[]; expectedRevision: ExpectedRevision | undefined }> = [];
  const wrap = (store: EventStore): EventStore => ({
    ...store,
    appendToStream: async (streamName, events, options) => {
      const concerned = events.some((event) => event.type === eventType);
      if (concerned)
        attempts.push({ ids: events.map((event) => event.id), expectedRevision: options?.expectedRevision });
      const result = await store.appendToStream(streamName, events, options);
      if (concerned && failures > 0) {
        failures -= 1;
        throw new AppendOutcomeUnknownError(streamName, new Error('14 UNAVAILABLE: Connection dropped'));
      }
      return result;
    },
  });
  return { wrap, attempts, loseNextAnswers: (count: number) => (failures = count) };
};

describe('Given an admin publishing posts while the event store transport may lose the answer of a written append', () => {
  const transport = answerLostAfterCommit('PostPublished');
  let server: TestApp;
  let channelId: number;
  beforeAll(async () => {
    server = await startTestApp({ wrapEventStore: transport.wrap });
    channelId = await createChannel(server);
  });
  afterAll(() => server.stop());
  beforeEach(() => transport.attempts.splice(0));

  const publish = () =>
    server.request('POST', `/api/admin/channels/${channelId}/posts`, {
      token: adminToken,
      body: { type: 'TEXT', bodyText: 'once' },
    });
  /** A client without an Idempotency-Key that sends again until it gets a 2xx. */
  const publishUntilAccepted = async () => {
    const statuses: number[] = [];
    while (statuses.length < 3 && !(statuses.at(-1)! < 300)) statuses.push((await publish()).status);
    return statuses;
  };
  const postsPublished = async () =>
    (await server.app.eventStore.readStream(streams.channel(channelId))).filter((e) => e.type === 'PostPublished');

  it('When the answer of the post append is lost once, then the server appends the same ids again, the client sees one 201 and the channel holds one post', async () => {
    const before = (await postsPublished()).length;
    transport.loseNextAnswers(1);

    expect(await publishUntilAccepted()).toEqual([201]);

    expect(await postsPublished()).toHaveLength(before + 1);
    expect(transport.attempts).toHaveLength(2);
    expect(transport.attempts[1]).toEqual(transport.attempts[0]);
    const page = await server.request('GET', `/api/mobile/channels/${channelId}/posts`, { token: userToken() });
    expect(page.body.data.items.filter((post: { bodyText: string }) => post.bodyText === 'once')).toHaveLength(
      before + 1,
    );
  });

  it('When every answer is lost, then after a bounded number of same-id attempts the client gets 503 SERVICE_UNAVAILABLE and the post is written once', async () => {
    const before = (await postsPublished()).length;
    transport.loseNextAnswers(100);

    const response = await publish();
    transport.loseNextAnswers(0);

    expect(response.status).toBe(503);
    expect(response.body.code).toBe('SERVICE_UNAVAILABLE');
    expect(transport.attempts.length).toBeGreaterThan(1);
    expect(
      new Set(
        transport.attempts.map((attempt) =>
          JSON.stringify(attempt, (_, value) => (typeof value === 'bigint' ? `${value}n` : value)),
        ),
      ).size,
    ).toBe(1);
    expect(await postsPublished()).toHaveLength(before + 1);
  });
});
