import { io, type ManagerOptions, type Socket, type SocketOptions } from 'socket.io-client';
import type { Ack, AccessRevokedNotice, MessagesPageResponse, PostsPageResponse } from '../contractTypes';
import type { TokenProvider } from '../http';
import { backoffDelayMs, DEFAULT_BACKOFF } from '../retry';
import type { MobileApi } from '../mobileApi';
import { createMemoryCursorStore, type CursorStore } from './cursorStore';
import { createRoomSubscription, type RoomControl } from './roomSubscription';
import type {
  AckCall,
  DiscussionSubscription,
  MessageEvent,
  PostEvent,
  PostsSubscription,
  SubscribeOptions,
} from './roomTypes';

export type RealtimeOptions = {
  /** The server's base URL (same origin as REST). */
  url: string;
  getToken: TokenProvider;
  /** The REST side, for the first page after a reset. */
  api: MobileApi;
  /** Where cursors survive an app restart; memory by default. */
  cursors?: CursorStore;
  /** Events per sync page (server max 1000). */
  syncLimit?: number;
  /** How long to wait for an acknowledgement before treating the connection as lost. */
  ackTimeoutMs?: number;
  /**
   * Passed to socket.io-client. The default transport is websocket only: HTTP long-polling
   * needs sticky sessions across api nodes (socket.io#4881), websocket does not.
   */
  socketOptions?: Partial<ManagerOptions & SocketOptions>;
};

export type Realtime = {
  subscribeChannelPosts: (
    channelId: number,
    options?: SubscribeOptions<PostEvent, PostsPageResponse['data']>,
  ) => PostsSubscription;
  subscribeDiscussion: (
    channelId: number,
    options?: SubscribeOptions<MessageEvent, MessagesPageResponse['data']>,
  ) => DiscussionSubscription;
  /** The underlying socket (for diagnostics; the SDK owns its lifecycle). */
  socket: Socket;
  close: () => void;
};

const ACCESS_REVOKED: AccessRevokedNotice['eventType'] = 'communication.room.access_revoked';

/**
 * One socket for every room. After any reconnect (network loss, server restart, another
 * node behind the balancer) each room rejoins and syncs from its last event id. The token
 * provider is asked again on every connection attempt, with `forceRefresh` after the server
 * disconnected the socket (token expiry) or answered UNAUTHORIZED.
 */
export const createRealtime = (options: RealtimeOptions): Realtime => {
  const cursors = options.cursors ?? createMemoryCursorStore();
  const rooms = new Set<RoomControl<PostEvent> | RoomControl<MessageEvent>>();
  let forceRefresh = false;
  let reauthPending = false;
  let closed = false;

  const socket = io(options.url, {
    transports: ['websocket'],
    reconnectionDelay: 250,
    reconnectionDelayMax: 5000,
    ...options.socketOptions,
    autoConnect: false,
    auth: (send) => {
      const refresh = forceRefresh;
      forceRefresh = false;
      Promise.resolve(options.getToken({ forceRefresh: refresh })).then(
        (token) => send({ token }),
        () => send({}),
      );
    },
  });

  let reauths = 0;
  let lastReauthAt = 0;
  const reconnectWithFreshToken = () => {
    if (closed) return;
    // The first refresh is immediate; repeated ones (a provider handing out bad tokens) back off.
    reauths = Date.now() - lastReauthAt > 30_000 ? 1 : reauths + 1;
    lastReauthAt = Date.now();
    forceRefresh = true;
    rooms.forEach((room) => room.pause());
    socket.disconnect();
    setTimeout(
      () => {
        if (!closed) socket.connect();
      },
      reauths > 1 ? backoffDelayMs(DEFAULT_BACKOFF, reauths - 1) : 0,
    );
  };

  socket.on('connect', () => {
    reauthPending = false;
    rooms.forEach((room) => room.resync());
  });
  socket.on('disconnect', (reason) => {
    rooms.forEach((room) => room.pause());
    // The server hung up on purpose (token expiry): socket.io-client does not retry on its own.
    if (reason === 'io server disconnect') reconnectWithFreshToken();
  });
  socket.onAny((eventName: string, envelope: unknown) => {
    if (eventName === ACCESS_REVOKED) {
      const notice = envelope as AccessRevokedNotice;
      rooms.forEach((room) => room.onEvicted(notice.data.room, notice.data.reason));
      return;
    }
    const event = envelope as { eventId: string; eventType: string; data: { channelId: number } };
    if (!event || typeof event.eventId !== 'string') return;
    rooms.forEach((room) => {
      if (room.accepts(event)) room.onLive(event);
    });
  });

  const call: AckCall = async <Data>(event: string, payload: object) =>
    (await socket.timeout(options.ackTimeoutMs ?? 10_000).emitWithAck(event, payload)) as Ack<Data>;

  const subscribe = <Event extends PostEvent | MessageEvent, Page>(
    kind: 'channelPosts' | 'discussion',
    channelId: number,
    fetchFirstPage: () => Promise<Page>,
    subscribeOptions: SubscribeOptions<Event, Page> = {},
  ) => {
    const room = createRoomSubscription<Event, Page>({
      ...subscribeOptions,
      kind,
      channelId,
      call,
      cursors,
      fetchFirstPage,
      syncLimit: options.syncLimit ?? 500,
      isConnected: () => socket.connected,
      requestReauth: () => {
        if (reauthPending) return;
        reauthPending = true;
        reconnectWithFreshToken();
      },
      onClosed: () => rooms.delete(room as never),
    });
    rooms.add(room as never);
    if (socket.connected) room.resync();
    else if (!socket.active) socket.connect();
    return room;
  };

  return {
    socket,
    subscribeChannelPosts: (channelId, subscribeOptions) =>
      subscribe('channelPosts', channelId, async () => (await options.api.listPosts(channelId)).data, subscribeOptions),
    subscribeDiscussion: (channelId, subscribeOptions) =>
      subscribe(
        'discussion',
        channelId,
        async () => (await options.api.listMessages(channelId)).data,
        subscribeOptions,
      ),
    close: () => {
      closed = true;
      rooms.forEach((room) => void room.close());
      socket.disconnect();
    },
  };
};
