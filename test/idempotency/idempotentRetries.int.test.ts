import path from 'node:path';
import { createSqliteIdempotencyStore } from '../../src/idempotency/sqliteIdempotencyStore';
import { fingerprintRequest } from '../../src/idempotency/requestFingerprint';
import { adminToken, createChannel, expectNothingAppended, signToken } from '../helpers/apiTestKit';
import { makeTempDir, startTestApp, type TestApp } from '../helpers/testApp';
import { retryWrite, sendAndLoseAnswer, sendWrite } from './idempotencyTestKit';

const post = { type: 'TEXT', bodyText: 'Entry at 1.0850' };

describe('Given the real server with Idempotency-Key on write routes', () => {
  const dataDir = makeTempDir('idempotency-http-');
  let server: TestApp;
  let channelId: number;
  let key = 0;
  const freshKey = () => `key-${Date.now()}-${(key += 1)}`;
  const postsPath = () => `/api/admin/channels/${channelId}/posts`;
  const publishedPosts = async (target = server) =>
    (await target.app.eventStore.readStream(`channel-${channelId}`)).filter((event) => event.type === 'PostPublished');

  beforeAll(async () => {
    server = await startTestApp({ dataDir });
    channelId = await createChannel(server);
  });
  afterAll(() => server.stop());

  it('When the answer to a post is lost after the server committed it, then the retry returns the original answer and the log holds one post', async () => {
    const idempotencyKey = freshKey();
    const before = (await publishedPosts()).length;
    await sendAndLoseAnswer(
      server.url,
      'POST',
      postsPath(),
      { token: adminToken, body: post, key: idempotencyKey },
      async () => (await publishedPosts()).length > before,
    );

    const retried = await retryWrite(server.url, 'POST', postsPath(), {
      token: adminToken,
      body: post,
      key: idempotencyKey,
    });

    expect(retried.status).toBe(201);
    expect(retried.headers.get('idempotent-replayed')).toBe('true');
    const published = await publishedPosts();
    expect(published).toHaveLength(before + 1);
    expect(retried.body.data.id).toBe(String((published.at(-1)!.data as { postId: number }).postId));
  });

  it('When a write is retried with its key, then the same status and body come back and nothing is appended', async () => {
    const idempotencyKey = freshKey();
    const first = await sendWrite(server.url, 'POST', postsPath(), {
      token: adminToken,
      body: post,
      key: idempotencyKey,
    });
    expect(first.status).toBe(201);
    expect(first.headers.get('idempotent-replayed')).toBeNull();

    const retried = await expectNothingAppended(server, () =>
      sendWrite(server.url, 'POST', postsPath(), {
        token: adminToken,
        body: { bodyText: post.bodyText, type: 'TEXT' },
        key: idempotencyKey,
      }),
    );
    expect(retried.status).toBe(first.status);
    expect(retried.body).toEqual(first.body);
  });

  it('When the same key comes with a different body, then it is refused with 422 and nothing is appended', async () => {
    const idempotencyKey = freshKey();
    await sendWrite(server.url, 'POST', postsPath(), { token: adminToken, body: post, key: idempotencyKey });
    const reused = await expectNothingAppended(server, () =>
      sendWrite(server.url, 'POST', postsPath(), {
        token: adminToken,
        body: { ...post, bodyText: 'Other' },
        key: idempotencyKey,
      }),
    );
    expect(reused.status).toBe(422);
    expect(reused.body).toMatchObject({ code: 'VALIDATION_ERROR', details: [{ reason: 'IDEMPOTENCY_KEY_REUSED' }] });
  });

  it('When a request with the key is still in flight, then another gets 409 with Retry-After and nothing is appended', async () => {
    const idempotencyKey = freshKey();
    const otherProcess = createSqliteIdempotencyStore({ path: path.join(dataDir, 'idempotency.sqlite') });
    await otherProcess.start();
    try {
      const scope = { scope: 'admin:019ce156-1647-75b9-a5ba-07758a4f7675', key: idempotencyKey };
      const fingerprint = fingerprintRequest('POST', postsPath(), post);
      await otherProcess.claim(scope, { fingerprint, now: new Date(), lockMs: 60_000, ttlMs: 60_000 });

      const concurrent = await expectNothingAppended(server, () =>
        sendWrite(server.url, 'POST', postsPath(), { token: adminToken, body: post, key: idempotencyKey }),
      );
      expect(concurrent.status).toBe(409);
      expect(concurrent.headers.get('retry-after')).toBe('1');
      expect(concurrent.body).toMatchObject({ code: 'CONFLICT', details: { reason: 'IDEMPOTENCY_KEY_IN_FLIGHT' } });
    } finally {
      await otherProcess.close();
    }
  });

  it('When another principal sends the same key, then its request runs on its own', async () => {
    const idempotencyKey = freshKey();
    const first = await sendWrite(server.url, 'POST', postsPath(), {
      token: adminToken,
      body: post,
      key: idempotencyKey,
    });
    const second = await sendWrite(server.url, 'POST', postsPath(), {
      token: signToken('admin-2', 'admin'),
      body: post,
      key: idempotencyKey,
    });
    expect(second.status).toBe(201);
    expect(second.body.data.id).not.toBe(first.body.data.id);
  });

  it('When the first attempt failed, then the key is not spent and the retry runs the command once it can succeed', async () => {
    const idempotencyKey = freshKey();
    const archived = await createChannel(server);
    await server.request('PATCH', `/api/admin/channels/${archived}`, {
      token: adminToken,
      body: { status: 'ARCHIVED' },
    });
    const refused = await sendWrite(server.url, 'POST', `/api/admin/channels/${archived}/posts`, {
      token: adminToken,
      body: post,
      key: idempotencyKey,
    });
    expect(refused.status).toBe(409);

    await server.request('PATCH', `/api/admin/channels/${archived}`, { token: adminToken, body: { status: 'ACTIVE' } });
    const retried = await sendWrite(server.url, 'POST', `/api/admin/channels/${archived}/posts`, {
      token: adminToken,
      body: post,
      key: idempotencyKey,
    });
    expect(retried.status).toBe(201);
  });

  it('When the key is malformed, then the write is refused with 422 before it runs', async () => {
    const refused = await expectNothingAppended(server, () =>
      sendWrite(server.url, 'POST', postsPath(), { token: adminToken, body: post, key: 'x'.repeat(256) }),
    );
    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe('VALIDATION_ERROR');
  });

  it('When the server restarts between the write and its retry, then the retry still returns the original answer', async () => {
    const idempotencyKey = freshKey();
    const first = await sendWrite(server.url, 'POST', postsPath(), {
      token: adminToken,
      body: post,
      key: idempotencyKey,
    });
    const before = (await publishedPosts()).length;
    await server.stop();
    server = await startTestApp({ dataDir });

    const retried = await sendWrite(server.url, 'POST', postsPath(), {
      token: adminToken,
      body: post,
      key: idempotencyKey,
    });
    expect(retried.status).toBe(201);
    expect(retried.body).toEqual(first.body);
    expect(await publishedPosts()).toHaveLength(before);
  });
});
