import { v7 as uuidv7 } from 'uuid';
import { streams } from '../../src/commands/streams';
import type { NewEvent, RecordedEvent } from '../../src/eventStore/eventStore';
import { allProjections } from '../../src/projections/allProjections';
import type { Projection } from '../../src/projections/projection';
import { createSqliteReadModelStore } from '../../src/readModels/sqlite';
import type { ReadModelStore } from '../../src/readModels/readModelStore';

export const ADMIN = '019ce156-1647-75b9-a5ba-07758a4f7675';
export const at = (minute: number): string => new Date(Date.UTC(2026, 2, 16, 10, minute)).toISOString();

type Typed = { type: string; data: unknown };

/** Domain events as the write side appends them, to the streams src/commands/streams.ts names. */
export const streamOf = (event: Typed): string => {
  const data = event.data as Record<string, unknown>;
  if (event.type.startsWith('Entitlement') || event.type.startsWith('Feature'))
    return streams.userAccess(String(data.userId));
  if (['ChannelJoined', 'ChannelLeft', 'ReadStateAdvanced'].includes(event.type))
    return streams.membership(String(data.userId));
  if (typeof data.discussionId === 'number' && event.type !== 'DiscussionAttached')
    return streams.discussion(data.discussionId);
  return streams.channel(Number(data.channelId));
};

export const toNewEvent = (event: Typed): NewEvent => {
  const id = uuidv7();
  return {
    id,
    type: event.type,
    data: event.data,
    metadata: { actor: { type: 'admin', id: ADMIN }, correlationId: id, causationId: id },
  };
};

/** Recorded events at positions 1, 2, 3, … with per-stream revisions. */
export const record = (events: Typed[], firstPosition = 1n): RecordedEvent[] => {
  const revisions = new Map<string, bigint>();
  return events.map((event, index) => {
    const streamName = streamOf(event);
    const revision = revisions.get(streamName) ?? 0n;
    revisions.set(streamName, revision + 1n);
    return { ...toNewEvent(event), streamName, revision, position: firstPosition + BigInt(index), recordedAt: at(0) };
  });
};

export const openReadModels = async (
  projections: Projection[] = allProjections,
  path = ':memory:',
): Promise<ReadModelStore> => {
  const store = createSqliteReadModelStore({ path });
  projections.forEach((projection) => store.register({ name: projection.name, collections: projection.collections }));
  await store.start();
  return store;
};

/** Applies events the way the runner does (one batch, checkpointed), without a subscription. */
export const applyEvents = async (
  store: ReadModelStore,
  projection: Projection,
  events: RecordedEvent[],
): Promise<void> => {
  const relevant = events.filter((event) => projection.eventTypes.includes(event.type));
  if (events.length === 0) return;
  await store.applyBatch(projection.name, 1, events[events.length - 1].position, async (writer) => {
    for (const event of relevant) {
      await projection.apply(event, {
        get: writer.get,
        find: writer.find,
        put: (collection, key, doc) => writer.put(collection, key, doc, event.position),
        delete: writer.delete,
      });
    }
  });
};

export const applyToAll = async (store: ReadModelStore, events: RecordedEvent[]): Promise<void> => {
  for (const projection of allProjections) await applyEvents(store, projection, events);
};

// Event builders with sensible defaults; tests override what they assert on.
export const channelCreated = (channelId: number, over: Record<string, unknown> = {}) => ({
  type: 'ChannelCreated',
  data: {
    channelId,
    kind: 'BROADCAST',
    accessPolicy: 'OPEN',
    visibility: 'PUBLIC',
    status: 'ACTIVE',
    title: `Channel ${channelId}`,
    description: null,
    entitlementKey: null,
    createdByAdminId: ADMIN,
    createdAt: at(channelId),
    ...over,
  },
});

export const postPublished = (channelId: number, postId: number, over: Record<string, unknown> = {}) => ({
  type: 'PostPublished',
  data: {
    postId,
    channelId,
    type: 'TEXT',
    bodyText: `post ${postId}`,
    linkUrl: null,
    chartPayloadJson: null,
    attachments: [],
    createdByAdminId: ADMIN,
    publishedAt: at(10 + postId),
    ...over,
  },
});

export const discussionCreated = (channelId: number, discussionId: number, over: Record<string, unknown> = {}) => ({
  type: 'DiscussionCreated',
  data: {
    discussionId,
    channelId,
    title: 'VIP Signals Discussion',
    isEnabled: true,
    requiredFeatureKey: null,
    slowModeEnabled: false,
    slowModeIntervalSeconds: null,
    createdByAdminId: ADMIN,
    createdAt: at(5),
    ...over,
  },
});

export const messagePosted = (
  channelId: number,
  discussionId: number,
  messageId: number,
  over: Record<string, unknown> = {},
) => ({
  type: 'DiscussionMessagePosted',
  data: {
    messageId,
    discussionId,
    channelId,
    authorType: 'USER',
    authorUserId: 'user-1',
    authorAdminId: null,
    body: `message ${messageId}`,
    createdAt: at(20 + messageId),
    ...over,
  },
});
