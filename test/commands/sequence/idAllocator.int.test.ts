import path from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import { publishPost, createChannel } from '../../../src/commands/channel/channelUseCases';
import { configureDiscussion } from '../../../src/commands/discussion/configureDiscussion';
import { postAdminMessage } from '../../../src/commands/discussion/messageUseCases';
import { createWriteModel, type CommandContext } from '../../../src/commands/writeModel';
import type { EventStore } from '../../../src/eventStore/eventStore';
import { createSqliteEventStore } from '../../../src/eventStore/sqlite';
import { makeTempDir } from '../../helpers/testApp';

const metadata = { actor: { type: 'admin' as const, id: 'admin-1' }, correlationId: 'c', causationId: 'c' };
const now = () => new Date('2026-03-19T12:00:00.000Z');
const post = {
  adminId: 'admin-1',
  type: 'TEXT' as const,
  bodyText: 'x',
  linkUrl: null,
  chartPayloadJson: null,
  attachments: [],
};

/** These tests never address a post or message by id alone, so nothing needs locating. */
const nothingToLocate = {
  appliedIds: {
    appliedPosition: () => undefined,
    ownerOf: async () => undefined,
    messageOf: async () => undefined,
    postOf: async () => undefined,
  },
};

const openStores = (count: number): EventStore[] => {
  const file = path.join(makeTempDir(), 'events.sqlite');
  return Array.from({ length: count }, () => createSqliteEventStore({ path: file }));
};

const postIdsInStreamOrder = async (store: EventStore, channelId: number) =>
  (await store.readStream(`channel-${channelId}`))
    .filter((event) => event.type === 'PostPublished')
    .map((event) => (event.data as { postId: number }).postId);

describe('Given a fresh store and one process', () => {
  let stores: EventStore[];
  afterEach(async () => Promise.all(stores.map((store) => store.close())));

  it('When channels and posts are created, then their ids are 1, 2, 3…', async () => {
    stores = openStores(1);
    const context: CommandContext = {
      model: createWriteModel({ eventStore: stores[0], now, ...nothingToLocate }),
      metadata,
    };
    const channels = [];
    for (let i = 0; i < 3; i++)
      channels.push(
        (
          await createChannel(context, {
            adminId: 'admin-1',
            kind: 'BROADCAST',
            accessPolicy: 'OPEN',
            visibility: 'PUBLIC',
            title: `c${i}`,
            description: null,
            entitlementKey: null,
          })
        ).data.channelId,
      );
    expect(channels).toEqual([1, 2, 3]);
    for (let i = 0; i < 3; i++) await publishPost(context, 3, post);
    expect(await postIdsInStreamOrder(stores[0], 3)).toEqual([1, 2, 3]);
  });
});

describe('Given four processes sharing one SQLite file, each with its own allocator', () => {
  let stores: EventStore[];
  afterEach(async () => Promise.all(stores.map((store) => store.close())));

  it('When they all publish into the same channels at once, then post ids are unique and strictly increasing in each stream', async () => {
    stores = openStores(4);
    const contexts: CommandContext[] = stores.map((eventStore, index) => ({
      model: createWriteModel({
        eventStore,
        now,
        streamBlockSizes: { firstSize: 1, maxSize: 2 + index },
        ...nothingToLocate,
      }),
      metadata,
    }));
    const channelInput = {
      adminId: 'admin-1',
      kind: 'BROADCAST' as const,
      accessPolicy: 'OPEN' as const,
      visibility: 'PUBLIC' as const,
      description: null,
      entitlementKey: null,
    };
    const [a, b] = await Promise.all([
      createChannel(contexts[0], { ...channelInput, title: 'a' }),
      createChannel(contexts[1], { ...channelInput, title: 'b' }),
    ]);
    const channelIds = [a.data.channelId, b.data.channelId];
    expect(new Set(channelIds).size).toBe(2);

    await Promise.all(
      contexts.flatMap((context, processIndex) =>
        Array.from({ length: 25 }, (_, i) => publishPost(context, channelIds[(i + processIndex) % 2], post)),
      ),
    );

    const all: number[] = [];
    for (const channelId of channelIds) {
      const ids = await postIdsInStreamOrder(stores[0], channelId);
      ids.slice(1).forEach((id, i) => expect(id).toBeGreaterThan(ids[i]));
      all.push(...ids);
    }
    expect(all).toHaveLength(100);
    expect(new Set(all).size).toBe(100);
  });
});

describe('Given three processes sharing one SQLite file and one discussion', () => {
  let stores: EventStore[];
  afterEach(async () => Promise.all(stores.map((store) => store.close())));

  it('When they all post messages at once, then message ids are unique and strictly increasing in the stream', async () => {
    stores = openStores(3);
    const contexts: CommandContext[] = stores.map((eventStore) => ({
      model: createWriteModel({ eventStore, now, ...nothingToLocate }),
      metadata,
    }));
    const channel = await createChannel(contexts[0], {
      adminId: 'admin-1',
      kind: 'BROADCAST',
      accessPolicy: 'OPEN',
      visibility: 'PUBLIC',
      title: 'c',
      description: null,
      entitlementKey: null,
    });
    await configureDiscussion(contexts[1], channel.data.channelId, { adminId: 'admin-1' });
    await Promise.all(
      contexts.flatMap((context) =>
        Array.from({ length: 20 }, () =>
          postAdminMessage(context, channel.data.channelId, { adminId: 'admin-1', body: 'x' }),
        ),
      ),
    );
    const ids = (await stores[2].readStream('discussion-1'))
      .filter((event) => event.type === 'DiscussionMessagePosted')
      .map((event) => (event.data as { messageId: number }).messageId);
    expect(ids).toHaveLength(60);
    ids.slice(1).forEach((id, i) => expect(id).toBeGreaterThan(ids[i]));
  });
});

describe('Given a log written by the per-process allocator of earlier releases', () => {
  let stores: EventStore[];
  afterEach(async () => Promise.all(stores.map((store) => store.close())));

  it('When posts are published, then the channel draws blocks above every earlier block and its last id', async () => {
    stores = openStores(1);
    const [store] = stores;
    const context: CommandContext = {
      model: createWriteModel({ eventStore: store, now, ...nothingToLocate }),
      metadata,
    };
    const channel = await createChannel(context, {
      adminId: 'admin-1',
      kind: 'BROADCAST',
      accessPolicy: 'OPEN',
      visibility: 'PUBLIC',
      title: 'old',
      description: null,
      entitlementKey: null,
    });
    const channelId = channel.data.channelId;
    const { adminId: _adminId, ...content } = post;
    const legacyBlock = (from: number, to: number) => ({
      id: uuidv7(),
      type: 'IdBlockReserved',
      data: { sequence: 'postId', from, to, reservedAt: now().toISOString() },
      metadata,
    });
    await store.appendToStream('sequence-postId', [legacyBlock(1, 100), legacyBlock(101, 200)]);
    await store.appendToStream(`channel-${channelId}`, [
      {
        id: uuidv7(),
        type: 'PostPublished',
        data: {
          ...content,
          postId: 150,
          channelId,
          createdByAdminId: 'admin-1',
          publishedAt: now().toISOString(),
        },
        metadata,
      },
    ]);

    for (let i = 0; i < 3; i++) await publishPost(context, channelId, post);

    expect(await postIdsInStreamOrder(store, channelId)).toEqual([150, 201, 202, 203]);
    const blocks = (await store.readStream('sequence-postId'))
      .filter((event) => event.type === 'StreamIdBlockReserved')
      .map((event) => event.data);
    expect(blocks).toEqual([
      expect.objectContaining({ stream: `channel-${channelId}`, from: 201, to: 202 }),
      expect.objectContaining({ stream: `channel-${channelId}`, from: 203, to: 206 }),
    ]);
  });
});
