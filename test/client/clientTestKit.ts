import { createClient, type Client, type ClientOptions, type TokenProvider } from '../../client/src';
import type { PostEvent, PostsReset } from '../../client/src';
import { sleep } from '../../src/retry/backoff';
import { signToken } from '../helpers/testApp';

// Guards against hanging tests only; never a latency assertion.
const WAIT_MS = 10_000;

export const waitUntil = async (condition: () => boolean, what: string): Promise<void> => {
  for (let waited = 0; !condition(); waited += 20) {
    if (waited > WAIT_MS) throw new Error(`Timed out waiting for ${what}`);
    await sleep(20);
  }
};

/** A client as an app would build it, on a real server; reconnects after a fixed second so tests can write in the gap. */
export const clientFor = (url: string, options: Partial<ClientOptions> & { getToken?: TokenProvider } = {}): Client =>
  createClient({
    baseUrl: url,
    getToken: () => signToken('app-user'),
    ...options,
    socketOptions: {
      reconnectionDelay: 1000,
      reconnectionDelayMax: 1000,
      randomizationFactor: 0,
      ...options.socketOptions,
    },
  });

/** What an app's channel screen sees: every post event and every reset, in order. */
export const watchPosts = (client: Client, channelId: number) => {
  const events: PostEvent[] = [];
  const resets: PostsReset[] = [];
  const subscription = client.realtime.subscribeChannelPosts(channelId, {
    onEvent: (event) => events.push(event),
    onReset: (reset) => {
      resets.push(reset);
    },
  });
  const postIds = () =>
    events.filter((event) => event.eventType === 'communication.channel_post.created').map((event) => event.data.id);
  return { subscription, events, resets, postIds };
};
