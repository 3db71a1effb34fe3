import { collections, type PostDoc } from '../../src/projections/documents';
import { postsProjection } from '../../src/projections/postsProjection';
import type { ReadModelStore } from '../../src/readModels/readModelStore';
import { ADMIN, applyEvents, at, openReadModels, postPublished, record } from './projectionFixtures';

const attachment = {
  id: 'a1',
  storageKey: 'posts/1/chart.png',
  fileName: 'chart.png',
  mimeType: 'image/png',
  sizeBytes: 1234,
  displayOrder: 0,
};

describe('Given the posts projection on a real SQLite read-model store', () => {
  let store: ReadModelStore;
  beforeEach(async () => {
    store = await openReadModels([postsProjection]);
  });
  afterEach(() => store.close());

  it('When a post is published, then its document holds every field with its attachments', async () => {
    await applyEvents(
      store,
      postsProjection,
      record([postPublished(3, 1, { type: 'MEDIA', attachments: [attachment] })]),
    );
    expect(await store.get<PostDoc>(collections.posts, '1')).toEqual({
      id: 1,
      channelId: 3,
      type: 'MEDIA',
      bodyText: 'post 1',
      linkUrl: null,
      chartPayloadJson: null,
      attachments: [attachment],
      isPinned: false,
      pinnedAt: null,
      isDeleted: false,
      deletedAt: null,
      createdByAdminId: ADMIN,
      publishedAt: at(11),
      createdAt: at(11),
      updatedAt: at(11),
    });
  });

  it('When it is edited, pinned, unpinned and deleted, then the document follows each step and keeps its tombstone', async () => {
    const events = record([
      postPublished(3, 1),
      {
        type: 'PostEdited',
        data: {
          postId: 1,
          channelId: 3,
          changes: { bodyText: 'edited', linkUrl: 'https://x.test' },
          editedByAdminId: ADMIN,
          editedAt: at(40),
        },
      },
      { type: 'PostPinned', data: { postId: 1, channelId: 3, pinnedByAdminId: ADMIN, pinnedAt: at(41) } },
    ]);
    await applyEvents(store, postsProjection, events);
    expect(await store.get<PostDoc>(collections.posts, '1')).toMatchObject({
      bodyText: 'edited',
      linkUrl: 'https://x.test',
      isPinned: true,
      pinnedAt: at(41),
      updatedAt: at(41),
    });
    await applyEvents(
      store,
      postsProjection,
      record(
        [
          { type: 'PostUnpinned', data: { postId: 1, channelId: 3, unpinnedByAdminId: ADMIN, unpinnedAt: at(42) } },
          { type: 'PostDeleted', data: { postId: 1, channelId: 3, deletedByAdminId: ADMIN, deletedAt: at(43) } },
        ],
        10n,
      ),
    );
    expect(await store.get<PostDoc>(collections.posts, '1')).toMatchObject({
      isPinned: false,
      pinnedAt: null,
      isDeleted: true,
      deletedAt: at(43),
      updatedAt: at(43),
    });
  });

  it('When posts of two channels are published, then a channel query finds only its own, in id order', async () => {
    await applyEvents(store, postsProjection, record([postPublished(3, 1), postPublished(4, 2), postPublished(3, 5)]));
    const posts = await store.find<PostDoc>(collections.posts, { where: { channelId: 3 }, orderBy: [['id', 'asc']] });
    expect(posts.map((post) => post.id)).toEqual([1, 5]);
  });

  it.each(['PostEdited', 'PostDeleted', 'PostPinned', 'PostUnpinned'])(
    'When %s names an unknown post, then applying it throws and nothing is checkpointed',
    async (type) => {
      const events = record([
        {
          type,
          data: {
            postId: 99,
            channelId: 3,
            changes: {},
            editedAt: at(1),
            deletedAt: at(1),
            pinnedAt: at(1),
            unpinnedAt: at(1),
          },
        },
      ]);
      await expect(applyEvents(store, postsProjection, events)).rejects.toThrow('no posts document with key 99');
      expect(await store.readCheckpoint('posts', 1)).toBeUndefined();
    },
  );
});
