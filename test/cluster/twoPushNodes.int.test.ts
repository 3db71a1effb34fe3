import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Queue } from 'bullmq';
import IORedis from 'ioredis';
import { deleteKeys, getRedisUrl } from '../helpers/redis';
import { makeTempDir, signToken } from '../helpers/testApp';
import { clusterEnv, eventually, killNodes, startNode } from './clusterKit';
import { json } from '../helpers/rawHttp';
import type { ServerProcess } from '../helpers/serverProcess';

const admin = signToken('admin-1', 'admin');
const MEMBERS = Array.from({ length: 12 }, (_, index) => `member-${String(index).padStart(2, '0')}`);
const POSTS = 4;

/** A push provider stand-in: counts every (post, member) it is sent, across all webhook calls. */
const startWebhookReceiver = async () => {
  const times = new Map<string, number>();
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      const { postId, userIds } = JSON.parse(body) as { postId: number; userIds: string[] };
      for (const userId of userIds) times.set(`${postId}/${userId}`, (times.get(`${postId}/${userId}`) ?? 0) + 1);
      // A little latency, so the two processes' jobs overlap.
      setTimeout(() => res.writeHead(204).end(), 5);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/push`,
    times,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
};

const ok = async (response: Promise<{ status: number; body: any }>, what: string) => {
  const { status, body } = await response;
  if (status >= 300) throw new Error(`${what}: ${status} ${JSON.stringify(body)}`);
  return body.data;
};

describe('Given two push processes (push, push) beside an api,projector process, one data dir, real Redis and a webhook', () => {
  let redis: { url: string; close: () => Promise<void> };
  let webhook: Awaited<ReturnType<typeof startWebhookReceiver>>;
  let env: Record<string, string>;
  let api: ServerProcess;
  let queue: Queue | undefined;
  let connection: IORedis | undefined;

  beforeAll(async () => {
    redis = await getRedisUrl();
    webhook = await startWebhookReceiver();
    env = {
      ...clusterEnv(makeTempDir('two-push-'), redis.url),
      PUSH_WEBHOOK_URL: webhook.url,
      PUSH_WEBHOOK_SECRET: 'webhook-secret-123',
      // Several delivery jobs per post, so pages of one post run on both processes.
      PUSH_BATCH_SIZE: '5',
    };
    [api] = await Promise.all([startNode(env, 'api,projector'), startNode(env, 'push'), startNode(env, 'push')]);
  }, 40_000);
  afterAll(async () => {
    await killNodes();
    await queue?.close();
    connection?.disconnect();
    if (env) await deleteKeys(redis.url, env.PUSH_QUEUE_PREFIX);
    await webhook?.close();
    await redis?.close();
  });

  it('When posts are published to a channel of 12 members, then each (post, member) is delivered exactly once', async () => {
    const channel = await ok(
      json(api.url, 'POST', '/api/admin/channels', admin, {
        kind: 'BROADCAST',
        accessPolicy: 'OPEN',
        visibility: 'PUBLIC',
        title: 'News',
      }),
      'channel',
    );
    for (const member of MEMBERS) {
      await ok(json(api.url, 'POST', `/api/mobile/channels/${channel.id}/join`, signToken(member)), 'join');
    }
    const posts: number[] = [];
    for (let index = 0; index < POSTS; index += 1) {
      const body = { type: 'TEXT', bodyText: `news ${index}` };
      posts.push((await ok(json(api.url, 'POST', `/api/admin/channels/${channel.id}/posts`, admin, body), 'post')).id);
    }
    const expected = posts.flatMap((postId) => MEMBERS.map((member) => `${postId}/${member}`)).sort();

    await eventually('every (post, member) to reach the webhook', async () =>
      expected.every((key) => webhook.times.has(key)) ? true : undefined,
    );
    // Then until the queue has nothing left to run: a duplicate still queued would be sent by then.
    connection = new IORedis(redis.url);
    queue = new Queue('push', { connection, prefix: env.PUSH_QUEUE_PREFIX });
    const counts = await eventually('the push queue to drain', async () => {
      const counts = await (queue as Queue).getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'failed');
      return counts.waiting + counts.active + counts.delayed + counts.prioritized === 0 ? counts : undefined;
    });

    expect(counts.failed).toBe(0);
    expect([...webhook.times.keys()].sort()).toEqual(expected);
    expect([...webhook.times.entries()].filter(([, times]) => times !== 1)).toEqual([]);
  }, 45_000);
});
