import fs from 'node:fs';
import { adminToken, openChannel } from '../helpers/apiTestKit';
import { spawnServer, type ServerProcess } from '../helpers/serverProcess';
import { connectSocket, type TestSocket } from '../helpers/socketClient';
import { makeTempDir, signToken } from '../helpers/testApp';

const SYNC = 'communication:sync_channel_posts';
const POSTS = 600;

type Ack = { ok: boolean; error?: { code: string }; data?: { lastEventId: string } };

const rssMbOf = (pid: number): number =>
  Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]) / 1024;

const post = async (server: ServerProcess, path: string, body: object) => {
  const response = await fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (response.status !== 201) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { data: { id: number } }).data.id;
};

describe(`Given a spawned server with the default limits and a channel of ${POSTS} posts of 1 KB`, () => {
  let server: ServerProcess;
  let channelId: number;
  let cursor: string;
  const sockets: TestSocket[] = [];
  const connect = async (user: string) => {
    const socket = await connectSocket(server.url, signToken(user));
    sockets.push(socket);
    return socket;
  };
  /** Sends `count` syncs of 1,000 events from the stream's first event without waiting; resolves with their answers. */
  const flood = (socket: TestSocket, count: number): Promise<Ack[]> =>
    Promise.all(
      Array.from(
        { length: count },
        () =>
          new Promise<Ack>((resolve) =>
            socket.socket.emit(SYNC, { channelId, sinceEventId: cursor, limit: 1000 }, resolve),
          ),
      ),
    );

  beforeAll(async () => {
    server = await spawnServer(makeTempDir('sync-flood-'));
    channelId = await post(server, '/api/admin/channels', openChannel);
    const reader = await connect('cursor-reader');
    cursor = ((await reader.call(SYNC, { channelId })) as Ack).data!.lastEventId;
    for (let i = 0; i < POSTS; i += 20)
      await Promise.all(
        Array.from({ length: 20 }, (_, k) =>
          post(server, `/api/admin/channels/${channelId}/posts`, {
            type: 'TEXT',
            bodyText: `post ${i + k} `.padEnd(1000, '.'),
          }),
        ),
      );
  }, 120_000);
  afterAll(async () => {
    sockets.forEach((socket) => socket.close());
    await server?.stop();
  });

  it('When one socket sends 2,000 syncs of 1,000 events without waiting, then it gets RATE_LIMITED, other clients get every answer meanwhile, and the server’s RSS grows by less than 100 MB', async () => {
    const pid = server.child.pid as number;
    const rssBefore = rssMbOf(pid);
    let rssPeak = rssBefore;
    const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, rssMbOf(pid))), 50);
    const flooder = await connect('flooder');
    const other = await connect('other-reader');
    const otherToken = signToken('other-reader');
    try {
      const flooding = flood(flooder, 2000);
      const others: Array<{ status?: number; ok?: boolean }> = [];
      for (let i = 0; i < 20; i += 1) {
        const page = await fetch(`${server.url}/api/mobile/channels/${channelId}/posts?limit=20`, {
          headers: { authorization: `Bearer ${otherToken}` },
        });
        others.push({ status: page.status });
        others.push(await other.call(SYNC, { channelId, sinceEventId: cursor, limit: 10 }));
      }
      const answers = await flooding;
      const codes = answers.map((ack) => (ack.ok ? 'ok' : ack.error?.code));
      expect(codes.filter((code) => code === 'RATE_LIMITED').length).toBeGreaterThan(1900);
      expect(codes.every((code) => code === 'ok' || code === 'RATE_LIMITED')).toBe(true);
      expect(others).toHaveLength(40);
      expect(others.every((answer) => answer.status === 200 || answer.ok === true)).toBe(true);
      expect(flooder.socket.connected).toBe(true);
    } finally {
      clearInterval(sampler);
    }
    expect(rssPeak - rssBefore).toBeLessThan(100);
  }, 60_000);
});
