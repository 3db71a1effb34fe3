import { createChannel, publishPost, signToken, startTestApp, type TestApp } from '../helpers/apiTestKit';
import { connectSocket, type TestSocket } from '../helpers/socketClient';

const SYNC = 'communication:sync_channel_posts';

type Ack = { ok: boolean; data?: { lastEventId: string; events: unknown[] } };

/**
 * The embedded store reads synchronously: a sync that never yields between its chunk reads
 * holds the event loop for its whole page, and a socket's eight syncs in flight for all of them.
 */
describe('Given a channel of 250 posts (a sync of 1,000 reads it in three chunks of 100)', () => {
  let server: TestApp;
  let channelId: number;
  let cursor: string;
  let socket: TestSocket;
  /** Forward reads of the channel stream, each with the event-loop turn it ran in. */
  const reads: Array<{ fromRevision: bigint; turn: number }> = [];
  let turn = 0;
  let counting = false;
  const countTurns = () => {
    turn += 1;
    if (counting) setImmediate(countTurns);
  };

  beforeAll(async () => {
    server = await startTestApp({ env: { SOCKET_POINTS_PER_10S: '100000', SOCKET_USER_POINTS_PER_10S: '100000' } });
    channelId = await createChannel(server);
    socket = await connectSocket(server.url, signToken('fair-reader'));
    cursor = ((await socket.call(SYNC, { channelId })) as Ack).data!.lastEventId;
    for (let i = 0; i < 250; i += 1) await publishPost(server, channelId, { type: 'TEXT', bodyText: `post ${i}` });
    const store = server.app.eventStore;
    const readStream = store.readStream.bind(store);
    store.readStream = (streamName, options) => {
      if (streamName === `channel-${channelId}` && options?.direction === 'forwards')
        reads.push({ fromRevision: BigInt(options.fromRevision ?? 0), turn });
      return readStream(streamName, options);
    };
  });
  afterAll(async () => {
    counting = false;
    socket.close();
    await server.stop();
  });
  beforeEach(() => {
    reads.length = 0;
  });

  it('When a client syncs 1,000 events, then the event loop turns between its chunk reads (other clients are served in between)', async () => {
    counting = true;
    setImmediate(countTurns);
    const answer = (await socket.call(SYNC, { channelId, sinceEventId: cursor, limit: 1000 })) as Ack;
    counting = false;
    expect(answer.data?.events).toHaveLength(250);
    expect(reads).toHaveLength(3);
    expect(reads[1].turn).toBeGreaterThan(reads[0].turn);
    expect(reads[2].turn).toBeGreaterThan(reads[1].turn);
  });

  it('When one socket sends two syncs at once, then the second starts reading only after the first has read its whole page', async () => {
    const answers = await Promise.all([
      socket.call(SYNC, { channelId, sinceEventId: cursor, limit: 1000 }),
      socket.call(SYNC, { channelId, sinceEventId: cursor, limit: 1000 }),
    ]);
    expect(answers.every((answer) => answer.ok)).toBe(true);
    const starts = reads.map((read) => read.fromRevision);
    // Two runs of the same three chunks, one after the other (not interleaved: r1 r1 r2 r2 r3 r3).
    expect(starts).toHaveLength(6);
    expect(starts.slice(3)).toEqual(starts.slice(0, 3));
    expect(new Set(starts.slice(0, 3)).size).toBe(3);
  });
});
