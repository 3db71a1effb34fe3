import net from 'node:net';
import { createClient, type CreateChannelBody } from '../../client/src';
import { adminToken } from '../helpers/apiTestKit';
import { spawnServer, type ServerProcess } from '../helpers/serverProcess';
import { makeTempDir } from '../helpers/testApp';
import { clientFor, waitUntil, watchPosts } from './clientTestKit';

/** A TCP balancer in front of the api nodes: new connections go to whichever node `target` names. */
const startBalancer = async (initial: string) => {
  let target = new URL(initial);
  const server = net.createServer((downstream) => {
    const upstream = net.connect(Number(target.port), target.hostname);
    downstream.pipe(upstream).pipe(downstream);
    const closeBoth = () => {
      downstream.destroy();
      upstream.destroy();
    };
    for (const side of [downstream, upstream]) side.on('close', closeBoth).on('error', closeBoth);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    routeTo: (url: string) => (target = new URL(url)),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
};

const channel: CreateChannelBody = { kind: 'BROADCAST', accessPolicy: 'OPEN', visibility: 'PUBLIC', title: 'Nodes' };

describe('Given two spawned api nodes on one DATA_DIR behind a balancer', () => {
  let first: ServerProcess;
  let second: ServerProcess;
  let balancer: Awaited<ReturnType<typeof startBalancer>>;

  beforeAll(async () => {
    const dataDir = makeTempDir('sdk-nodes-');
    [first, second] = await Promise.all([spawnServer(dataDir), spawnServer(dataDir)]);
    balancer = await startBalancer(first.url);
  }, 60_000);
  afterAll(async () => {
    await balancer?.close();
    await first?.stop();
    await second?.stop();
  });

  it('When the node the app is connected to dies and posts are written through the other, then the app reconnects there and gets every post once, in order', async () => {
    const viaSecond = createClient({ baseUrl: second.url, getToken: () => adminToken });
    const channelId = (await viaSecond.admin.createChannel(channel)).data.id;
    const publish = async () =>
      (await viaSecond.admin.publishPost(channelId, { type: 'TEXT', bodyText: 'signal' })).data.id;
    const app = clientFor(balancer.url);
    try {
      const watched = watchPosts(app, channelId);
      await watched.subscription.ready;
      const before = [await publish(), await publish()];
      await waitUntil(() => watched.postIds().length === 2, 'the posts before the node loss');

      balancer.routeTo(second.url);
      first.child.kill('SIGKILL');
      await waitUntil(() => !app.realtime.socket.connected, 'the lost connection');
      const missed = [await publish(), await publish(), await publish()];
      await waitUntil(() => watched.postIds().length >= 5, 'the posts written while the app was away');
      const after = [await publish()];
      await waitUntil(() => watched.postIds().length >= 6, 'the live post on the new node');

      expect(watched.postIds()).toEqual([...before, ...missed, ...after]);
      expect(watched.resets.map((reset) => reset.reason)).toEqual(['INITIAL']);
    } finally {
      app.close();
    }
  });
});
