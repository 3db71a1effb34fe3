import { createChannel, openChannel, publishPost } from '../helpers/apiTestKit';
import { getRedisUrl } from '../helpers/redis';
import { connectSocket, type TestSocket } from '../helpers/socketClient';
import { makeTempDir, signToken, startTestApp, type TestApp } from '../helpers/testApp';

describe('Given two server processes on one data dir sharing rooms through real Redis', () => {
  let redis: { url: string; close: () => Promise<void> };
  let first: TestApp;
  let second: TestApp;
  let onFirst: TestSocket;
  let onSecond: TestSocket;
  let channelId: number;

  beforeAll(async () => {
    redis = await getRedisUrl();
    const dataDir = makeTempDir('realtime-two-');
    first = await startTestApp({ dataDir, env: { REDIS_URL: redis.url } });
    second = await startTestApp({ dataDir, env: { REDIS_URL: redis.url } });
    channelId = await createChannel(second, openChannel);
    onFirst = await connectSocket(first.url, signToken('user-1'));
    onSecond = await connectSocket(second.url, signToken('user-2'));
    for (const socket of [onFirst, onSecond]) {
      expect(await socket.call('communication:join_channel_posts', { channelId })).toMatchObject({ ok: true });
    }
  });
  afterAll(async () => {
    onFirst?.close();
    onSecond?.close();
    await first?.stop();
    await second?.stop();
    await redis?.close();
  });

  it('When posts are written through the second process, then a client on the first receives each of them exactly once, in order', async () => {
    const written: string[] = [];
    for (let i = 0; i < 5; i += 1) written.push((await publishPost(second, channelId)).id);
    for (const socket of [onFirst, onSecond]) await socket.waitFor((event) => event.data.id === written[4]);

    // A last write through the first process: anything duplicated via Redis would have arrived by now.
    const sentinel = (await publishPost(first, channelId)).id;
    for (const socket of [onFirst, onSecond]) await socket.waitFor((event) => event.data.id === sentinel);

    for (const socket of [onFirst, onSecond]) {
      expect(socket.received.map((event) => event.data.id)).toEqual([...written, sentinel]);
    }
  });

  it('When a client of the first process replays, then it gets the events written through the second', async () => {
    const since = onFirst.received[0].eventId;
    const ack = await onFirst.call('communication:sync_channel_posts', { channelId, sinceEventId: since });
    expect(ack.ok && !ack.data.resetRequired && ack.data.events).toEqual(onSecond.received.slice(1));
  });
});
