import { adminToken, openChannel } from '../helpers/apiTestKit';
import { spawnServer, type ServerProcess } from '../helpers/serverProcess';
import { makeTempDir } from '../helpers/testApp';
import { retryWrite, sendAndLoseAnswer, sendWrite } from './idempotencyTestKit';

describe('Given two spawned server processes on one DATA_DIR', () => {
  let first: ServerProcess;
  let second: ServerProcess;
  let channelId: number;
  const postsPath = () => `/api/admin/channels/${channelId}/posts`;
  const post = { type: 'TEXT', bodyText: 'Across processes' };
  const postCount = async () => {
    const response = await fetch(`${first.url}/api/mobile/channels/${channelId}/posts?after_id=0&limit=100`);
    return ((await response.json()) as { data: { items: unknown[] } }).data.items.length;
  };

  beforeAll(async () => {
    const dataDir = makeTempDir('idempotency-processes-');
    first = await spawnServer(dataDir);
    second = await spawnServer(dataDir);
    channelId = (await sendWrite(first.url, 'POST', '/api/admin/channels', { token: adminToken, body: openChannel }))
      .body.data.id;
  }, 60_000);
  afterAll(async () => {
    await first?.stop();
    await second?.stop();
  });

  it('When a write answered by one process is retried on the other, then the other returns the original answer and appends nothing', async () => {
    const key = `cross-${Date.now()}`;
    const original = await sendWrite(first.url, 'POST', postsPath(), { token: adminToken, body: post, key });
    expect(original.status).toBe(201);

    const retried = await sendWrite(second.url, 'POST', postsPath(), { token: adminToken, body: post, key });
    expect(retried.status).toBe(201);
    expect(retried.body).toEqual(original.body);
    expect(await postCount()).toBe(1);
  });

  it('When the answer from one process is lost and the app retries on the other, then it gets that answer and the channel holds one post for it', async () => {
    const key = `lost-${Date.now()}`;
    const before = await postCount();
    await sendAndLoseAnswer(
      first.url,
      'POST',
      postsPath(),
      { token: adminToken, body: post, key },
      async () => (await postCount()) > before,
    );
    const retried = await retryWrite(second.url, 'POST', postsPath(), { token: adminToken, body: post, key });
    expect(retried.status).toBe(201);
    expect(retried.headers.get('idempotent-replayed')).toBe('true');
    expect(await postCount()).toBe(before + 1);
  });
});
