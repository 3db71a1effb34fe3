import path from 'node:path';
import { createSqliteEventStore } from '../../src/eventStore/sqlite';
import type { EventStore } from '../../src/eventStore/eventStore';
import { createLogger } from '../../src/logger';
import { rebuildProjections } from '../../src/ops/rebuildProjection';
import { allProjections } from '../../src/projections/allProjections';
import { createProjections, type Projections } from '../../src/projections/projections';
import { createSqliteReadModelStore } from '../../src/readModels/sqlite';
import type { ReadModelStore } from '../../src/readModels/readModelStore';
import {
  ADMIN,
  at,
  channelCreated,
  discussionCreated,
  messagePosted,
  postPublished,
  streamOf,
  toNewEvent,
} from '../projections/projectionFixtures';
import { makeTempDir } from '../helpers/testApp';

type Typed = { type: string; data: Record<string, unknown> };

/**
 * A history that changes the same documents over and over (posts edited, pinned, deleted;
 * messages edited, deleted, restored; bans and mutes lifted and set again; joins and leaves;
 * grants and revokes; read cursors that also move backwards), in a fixed pseudo-random order.
 */
const churn = (count: number): Typed[] => {
  let seed = 7;
  const pick = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };
  const history: Typed[] = [];
  for (const channelId of [1, 2]) {
    history.push(channelCreated(channelId), discussionCreated(channelId, channelId));
    history.push({ type: 'DiscussionAttached', data: { channelId, discussionId: channelId, attachedAt: at(5) } });
  }
  let posts = 0;
  let messages = 0;
  for (let n = 0; n < count; n++) {
    const channelId = 1 + pick(2);
    const userId = `user-${pick(4)}`;
    const post = 1 + pick(Math.max(posts, 1));
    const message = 1 + pick(Math.max(messages, 1));
    const scope = { discussionId: channelId, channelId, userId };
    const when = at(n % 60);
    const choices: Array<() => Typed> = [
      () => postPublished(channelId, ++posts),
      () => messagePosted(channelId, channelId, ++messages),
      () => ({
        type: 'PostEdited',
        data: { postId: post, channelId: 0, changes: { bodyText: `v${n}` }, editedByAdminId: ADMIN, editedAt: when },
      }),
      () => ({
        type: pick(2) ? 'PostPinned' : 'PostUnpinned',
        data: {
          postId: post,
          channelId: 0,
          pinnedByAdminId: ADMIN,
          unpinnedByAdminId: ADMIN,
          pinnedAt: when,
          unpinnedAt: when,
        },
      }),
      () => ({ type: 'PostDeleted', data: { postId: post, channelId: 0, deletedByAdminId: ADMIN, deletedAt: when } }),
      () => ({
        type: 'ChannelUpdated',
        data: { channelId, changes: { title: `t${n}` }, updatedByAdminId: ADMIN, updatedAt: when },
      }),
      () => ({
        type: 'DiscussionUpdated',
        data: {
          discussionId: channelId,
          channelId,
          changes: { slowModeEnabled: n % 2 === 0 },
          updatedByAdminId: ADMIN,
          updatedAt: when,
        },
      }),
      () => ({
        type: 'DiscussionMessageEdited',
        data: {
          messageId: message,
          discussionId: 0,
          channelId: 0,
          body: `e${n}`,
          editedBy: { type: 'USER', id: userId },
          editedAt: when,
        },
      }),
      () => ({
        type: 'DiscussionMessageDeleted',
        data: {
          messageId: message,
          discussionId: 0,
          channelId: 0,
          deletedByUserId: userId,
          deletedByAdminId: null,
          deletedAt: when,
        },
      }),
      () => ({
        type: 'DiscussionMessageRestored',
        data: { messageId: message, discussionId: 0, channelId: 0, restoredByAdminId: ADMIN, restoredAt: when },
      }),
      () => ({
        type: 'UserBanned',
        data: { ...scope, until: null, reason: `r${n}`, bannedByAdminId: ADMIN, bannedAt: when },
      }),
      () => ({ type: 'UserUnbanned', data: { ...scope, unbannedByAdminId: ADMIN, unbannedAt: when } }),
      () => ({ type: 'UserMuted', data: { ...scope, until: at(59), mutedByAdminId: ADMIN, mutedAt: when } }),
      () => ({ type: 'UserUnmuted', data: { ...scope, unmutedByAdminId: ADMIN, unmutedAt: when } }),
      () => ({ type: 'ChannelJoined', data: { userId, channelId, joinedAt: when } }),
      () => ({ type: 'ChannelLeft', data: { userId, channelId, joinedAt: at(1), leftAt: when } }),
      () => ({
        type: 'ReadStateAdvanced',
        data: { userId, channelId, lastSeenPostId: String(1 + pick(posts + 1)), lastSeenAt: when },
      }),
      () => ({
        type: pick(2) ? 'EntitlementGranted' : 'EntitlementRevoked',
        data: { userId, entitlementKey: `k${pick(2)}`, validUntil: null, grantedAt: when, revokedAt: when },
      }),
      () => ({
        type: pick(2) ? 'FeatureGranted' : 'FeatureRevoked',
        data: { userId, featureKey: 'chat.discussion', validUntil: null, grantedAt: when, revokedAt: when },
      }),
    ];
    const event = choices[posts === 0 || messages === 0 ? pick(2) : pick(choices.length)]();
    // Changes to a post or message name the channel and discussion the document lives in.
    if (event.type.startsWith('Post') && event.type !== 'PostPublished') event.data.channelId = ((post - 1) % 2) + 1;
    if (event.type.startsWith('DiscussionMessage') && event.type !== 'DiscussionMessagePosted') {
      const owner = history.find(
        (earlier) => earlier.type === 'DiscussionMessagePosted' && earlier.data.messageId === message,
      );
      event.data.channelId = owner?.data.channelId;
      event.data.discussionId = owner?.data.discussionId;
    }
    history.push(event);
  }
  return history;
};

const dump = async (store: ReadModelStore) => {
  const result: Record<string, unknown[]> = {};
  for (const projection of allProjections)
    for (const collection of projection.collections) result[collection.name] = await store.find(collection.name, {});
  return result;
};

describe('Given live projections that applied 600 events as they were appended, one small batch at a time', () => {
  let eventStore: EventStore;
  let readModels: ReadModelStore;
  let live: Projections;
  beforeAll(async () => {
    const dir = makeTempDir('rebuild-live-');
    eventStore = createSqliteEventStore({ path: path.join(dir, 'events.sqlite') });
    readModels = createSqliteReadModelStore({ path: path.join(dir, 'readmodels.sqlite'), versionCacheMs: 0 });
    live = createProjections({ eventStore, readModels, logger: createLogger('silent'), versionCheckIntervalMs: 0 });
    await readModels.start();
    await live.start();
    const history = churn(600);
    // Posts are published round-robin over the two channels, so post n lives in channel ((n - 1) % 2) + 1.
    const posts = history.filter((event) => event.type === 'PostPublished');
    posts.forEach((event, index) => (event.data.channelId = (index % 2) + 1));
    for (const event of history) {
      const { position } = await eventStore.appendToStream(streamOf(event), [toNewEvent(event)]);
      expect(await live.waitForPosition(position, 5000)).toBe(true);
    }
  }, 60_000);
  afterAll(async () => {
    await live.stop();
    await readModels.close();
    await eventStore.close();
  });

  it('When every projection is rebuilt in batches of 5,000 events, then the new versions hold exactly the documents the live ones hold', async () => {
    expect(live.status().every((status) => status.state === 'live' && status.error === undefined)).toBe(true);
    const fromLive = await dump(readModels);
    expect(Object.values(fromLive).every((docs) => docs.length > 0)).toBe(true);
    const outcomes = await rebuildProjections({
      eventStore,
      readModels,
      projections: allProjections,
      logger: createLogger('silent'),
      batchSize: 5000,
    });
    expect(outcomes.map((outcome) => [outcome.projection, outcome.version, outcome.activated])).toEqual(
      allProjections.map((projection) => [projection.name, 2, true]),
    );
    expect(await dump(readModels)).toEqual(fromLive);
  });
});
