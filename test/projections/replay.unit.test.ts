import { allProjections } from '../../src/projections/allProjections';
import type { RecordedEvent } from '../../src/eventStore/eventStore';
import type { ReadModelStore } from '../../src/readModels/readModelStore';
import {
  ADMIN,
  applyEvents,
  at,
  channelCreated,
  discussionCreated,
  messagePosted,
  openReadModels,
  postPublished,
  record,
} from './projectionFixtures';

/** A history touching every projection and every event type. */
const history = (): RecordedEvent[] =>
  record([
    channelCreated(3, { accessPolicy: 'EXTERNAL_GATED', entitlementKey: 'vip' }),
    channelCreated(4),
    postPublished(3, 1),
    postPublished(3, 2),
    {
      type: 'PostEdited',
      data: { postId: 1, channelId: 3, changes: { bodyText: 'v2' }, editedByAdminId: ADMIN, editedAt: at(30) },
    },
    { type: 'PostPinned', data: { postId: 2, channelId: 3, pinnedByAdminId: ADMIN, pinnedAt: at(31) } },
    { type: 'PostUnpinned', data: { postId: 2, channelId: 3, unpinnedByAdminId: ADMIN, unpinnedAt: at(32) } },
    { type: 'PostDeleted', data: { postId: 1, channelId: 3, deletedByAdminId: ADMIN, deletedAt: at(33) } },
    {
      type: 'ChannelUpdated',
      data: { channelId: 4, changes: { title: 'Four' }, updatedByAdminId: ADMIN, updatedAt: at(34) },
    },
    discussionCreated(3, 1),
    { type: 'DiscussionAttached', data: { channelId: 3, discussionId: 1, attachedAt: at(5) } },
    {
      type: 'DiscussionUpdated',
      data: {
        discussionId: 1,
        channelId: 3,
        changes: { isEnabled: false },
        updatedByAdminId: ADMIN,
        updatedAt: at(35),
      },
    },
    messagePosted(3, 1, 1),
    messagePosted(3, 1, 2),
    {
      type: 'DiscussionMessageEdited',
      data: {
        messageId: 1,
        discussionId: 1,
        channelId: 3,
        body: 'e',
        editedBy: { type: 'USER', id: 'user-1' },
        editedAt: at(36),
      },
    },
    {
      type: 'DiscussionMessageDeleted',
      data: {
        messageId: 2,
        discussionId: 1,
        channelId: 3,
        deletedByUserId: 'user-1',
        deletedByAdminId: null,
        deletedAt: at(37),
      },
    },
    {
      type: 'DiscussionMessageRestored',
      data: { messageId: 2, discussionId: 1, channelId: 3, restoredByAdminId: ADMIN, restoredAt: at(38) },
    },
    {
      type: 'UserBanned',
      data: {
        discussionId: 1,
        channelId: 3,
        userId: 'u2',
        until: null,
        reason: null,
        bannedByAdminId: ADMIN,
        bannedAt: at(39),
      },
    },
    {
      type: 'UserMuted',
      data: { discussionId: 1, channelId: 3, userId: 'u2', until: at(59), mutedByAdminId: ADMIN, mutedAt: at(40) },
    },
    {
      type: 'UserUnmuted',
      data: { discussionId: 1, channelId: 3, userId: 'u2', unmutedByAdminId: ADMIN, unmutedAt: at(41) },
    },
    {
      type: 'UserUnbanned',
      data: { discussionId: 1, channelId: 3, userId: 'u2', unbannedByAdminId: ADMIN, unbannedAt: at(42) },
    },
    { type: 'ChannelJoined', data: { userId: 'u1', channelId: 3, joinedAt: at(43) } },
    { type: 'ChannelLeft', data: { userId: 'u1', channelId: 3, joinedAt: at(43), leftAt: at(44) } },
    { type: 'ReadStateAdvanced', data: { userId: 'u1', channelId: 3, lastSeenPostId: '2', lastSeenAt: at(45) } },
    { type: 'EntitlementGranted', data: { userId: 'u1', entitlementKey: 'vip', validUntil: null, grantedAt: at(46) } },
    { type: 'EntitlementRevoked', data: { userId: 'u1', entitlementKey: 'vip', revokedAt: at(47) } },
    {
      type: 'FeatureGranted',
      data: { userId: 'u1', featureKey: 'chat.discussion', validUntil: null, grantedAt: at(48) },
    },
    { type: 'FeatureRevoked', data: { userId: 'u1', featureKey: 'chat.discussion', revokedAt: at(49) } },
  ]);

const dump = async (store: ReadModelStore) => {
  const result: Record<string, string[]> = {};
  for (const projection of allProjections) {
    for (const collection of projection.collections) {
      const docs = await store.find(collection.name, {});
      result[collection.name] = docs.map((doc) => JSON.stringify(doc)).sort();
    }
  }
  return result;
};

/** Applies events ignoring the checkpoint, as a redelivery after a lost checkpoint would. */
const redeliver = async (store: ReadModelStore, events: RecordedEvent[], batchPosition: bigint) => {
  for (const projection of allProjections) {
    await store.applyBatch(projection.name, 1, batchPosition, async (writer) => {
      for (const event of events.filter((candidate) => projection.eventTypes.includes(candidate.type))) {
        await projection.apply(event, { ...writer, put: (c, k, d) => writer.put(c, k, d, event.position) });
      }
    });
  }
};

describe('Given every projection on real SQLite read-model stores', () => {
  const stores: ReadModelStore[] = [];
  const open = async () => {
    const store = await openReadModels();
    stores.push(store);
    return store;
  };
  afterAll(async () => Promise.all(stores.map((store) => store.close())));

  it('When the whole history is applied in one batch or in batches of three, then the read models are identical', async () => {
    const events = history();
    const once = await open();
    for (const projection of allProjections) await applyEvents(once, projection, events);
    const inSmallBatches = await open();
    for (let start = 0; start < events.length; start += 3) {
      for (const projection of allProjections)
        await applyEvents(inSmallBatches, projection, events.slice(start, start + 3));
    }
    expect(await dump(inSmallBatches)).toEqual(await dump(once));
    expect((await dump(once)).posts).toHaveLength(2);
  });

  it('When the same events are applied twice, then the result is the same as applying them once', async () => {
    const events = history();
    const once = await open();
    for (const projection of allProjections) await applyEvents(once, projection, events);
    const twice = await open();
    for (const projection of allProjections) await applyEvents(twice, projection, events);
    await redeliver(twice, events, 1000n);
    expect(await dump(twice)).toEqual(await dump(once));
  });

  it('When an older suffix of the history is delivered again after the whole of it, then no document moves back', async () => {
    const events = history();
    const once = await open();
    for (const projection of allProjections) await applyEvents(once, projection, events);
    const replayed = await open();
    for (const projection of allProjections) await applyEvents(replayed, projection, events);
    await redeliver(replayed, events.slice(2, 9), 1000n);
    expect(await dump(replayed)).toEqual(await dump(once));
  });

  it('When the history is applied through the checkpointed path twice, then the second pass is skipped entirely', async () => {
    const events = history();
    const store = await open();
    for (const projection of allProjections) await applyEvents(store, projection, events);
    const before = await dump(store);
    for (const projection of allProjections) await applyEvents(store, projection, events);
    expect(await dump(store)).toEqual(before);
    expect(await store.readCheckpoint('posts', 1)).toBe(BigInt(events.length));
  });
});
