import type {
  Ack,
  JoinedRoom,
  MessagesPageResponse,
  PostsPageResponse,
  ResetReason,
  ServerEnvelope,
  ServerEventType,
  SyncResult,
} from '../contractTypes';

export type PostEventType = Extract<ServerEventType, `communication.channel_post.${string}`>;
export type MessageEventType = Extract<ServerEventType, `communication.discussion_message.${string}`>;
/** A channel's post events: created, updated, deleted (tombstone), pinned (`isPinned` true or false). */
export type PostEvent = ServerEnvelope<PostEventType>;
/** A discussion's message events: created, updated, deleted (tombstone), restored. */
export type MessageEvent = ServerEnvelope<MessageEventType>;

export type RoomKind = 'channelPosts' | 'discussion';

/**
 * Why the app must replace its state with `page` (the first REST page, fetched just before):
 * `INITIAL` on a subscription without a stored cursor, the server's reset reasons when a sync
 * cannot bridge the gap, `ACCESS_REVOKED` when the user lost access (eviction or a refused
 * rejoin; `detail` says why, the refetch then usually fails with `error`).
 */
export type ResetCause = ResetReason | 'INITIAL' | 'ACCESS_REVOKED';

export type RoomReset<Page> = {
  reason: ResetCause;
  detail?: string;
  page?: Page;
  error?: unknown;
};

export type SubscribeOptions<Event, Page> = {
  /** Called with a fresh REST page whenever the event stream alone cannot bring the app's state up to date. */
  onReset?: (reset: RoomReset<Page>) => void | Promise<void>;
  /** Each new event, in order, once (besides the async iterator). */
  onEvent?: (event: Event) => void;
  /** Failures the SDK cannot hide (the app's own handler threw, the server keeps refusing). */
  onError?: (error: unknown) => void;
};

/** One room the app follows: iterate it for events, in order and each once, across reconnects. */
export type Subscription<Event> = AsyncIterable<Event> & {
  readonly channelId: number;
  readonly kind: RoomKind;
  /** The cursor: the last event delivered (persisted through the client's cursor store). */
  lastEventId: () => string | undefined;
  /** Resolves once the room is joined and synced for the first time (or ended by an eviction). */
  ready: Promise<void>;
  /** Leaves the room and ends the iteration; the stored cursor stays for the next subscription. */
  close: () => Promise<void>;
};

export type PostsSubscription = Subscription<PostEvent>;
export type DiscussionSubscription = Subscription<MessageEvent>;
export type PostsReset = RoomReset<PostsPageResponse['data']>;
export type MessagesReset = RoomReset<MessagesPageResponse['data']>;

/** Emits a client event and resolves with its acknowledgement; rejects when none comes in time. */
export type AckCall = <Data>(event: string, payload: object) => Promise<Ack<Data>>;
export type { JoinedRoom, SyncResult };
