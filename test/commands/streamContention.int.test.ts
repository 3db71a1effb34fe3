import { streams } from '../../src/commands/streams';
import { WrongExpectedRevisionError } from '../../src/errors';
import type { EventStore } from '../../src/eventStore/eventStore';
import { adminToken, createChannel, startTestApp, type TestApp } from '../helpers/apiTestKit';

/**
 * Around the real (SQLite) store, writers of other processes that win every race for a
 * channel stream while `contended` is on: each append of a post is refused as a conflict,
 * as the store refuses an append whose expected revision another writer took.
 */
const otherWritersWinning = () => {
  let contended = false;
  let refused = 0;
  const wrap = (store: EventStore): EventStore => ({
    ...store,
    appendToStream: (streamName, events, options) => {
      if (contended && events.some((event) => event.type === 'PostPublished')) {
        refused += 1;
        return Promise.reject(new WrongExpectedRevisionError(streamName, String(options?.expectedRevision), 'later'));
      }
      return store.appendToStream(streamName, events, options);
    },
  });
  return { wrap, refused: () => refused, contend: (on: boolean) => (contended = on) };
};

describe('Given a channel whose stream other writers keep winning', () => {
  const writers = otherWritersWinning();
  let server: TestApp;
  let channelId: number;
  beforeAll(async () => {
    server = await startTestApp({ wrapEventStore: writers.wrap });
    channelId = await createChannel(server);
  });
  afterAll(() => server.stop());
  afterEach(() => writers.contend(false));

  const publish = () =>
    server.request('POST', `/api/admin/channels/${channelId}/posts`, {
      token: adminToken,
      body: { type: 'TEXT', bodyText: 'contended' },
    });

  it('When a post loses the race at every attempt, then the client gets 503 SERVICE_UNAVAILABLE with Retry-After and nothing is written', async () => {
    writers.contend(true);
    const response = await publish();

    expect(response.status).toBe(503);
    expect(response.body).toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
    expect(response.headers.get('retry-after')).toBe('1');
    expect(response.body.details).toEqual({ retryAfterSeconds: 1 });
    expect(writers.refused()).toBeGreaterThan(1);
  });

  it('When the client sends it again once the race is over, then it is published', async () => {
    writers.contend(true);
    expect((await publish()).status).toBe(503);
    writers.contend(false);

    const response = await publish();

    expect(response.status).toBe(201);
    const published = (await server.app.eventStore.readStream(streams.channel(channelId))).filter(
      (event) => event.type === 'PostPublished',
    );
    expect(published).toHaveLength(1);
  });
});
