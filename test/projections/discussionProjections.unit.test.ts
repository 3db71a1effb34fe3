import { discussionMessagesProjection } from '../../src/projections/discussionMessagesProjection';
import { discussionRestrictionsProjection } from '../../src/projections/discussionRestrictionsProjection';
import { discussionsProjection } from '../../src/projections/discussionsProjection';
import {
  collections,
  type DiscussionDoc,
  type DiscussionMessageDoc,
  type DiscussionRestrictionDoc,
} from '../../src/projections/documents';
import type { ReadModelStore } from '../../src/readModels/readModelStore';
import { ADMIN, applyEvents, at, discussionCreated, messagePosted, openReadModels, record } from './projectionFixtures';

const projections = [discussionsProjection, discussionMessagesProjection, discussionRestrictionsProjection];

describe('Given the discussion projections on a real SQLite read-model store', () => {
  let store: ReadModelStore;
  const apply = async (events: ReturnType<typeof record>) => {
    for (const projection of projections) await applyEvents(store, projection, events);
  };
  beforeEach(async () => {
    store = await openReadModels(projections);
  });
  afterEach(() => store.close());

  it('When a discussion is created and updated, then its document has the spec fields and the latest settings', async () => {
    await apply(
      record([
        discussionCreated(3, 1, { requiredFeatureKey: 'chat.discussion' }),
        {
          type: 'DiscussionUpdated',
          data: {
            discussionId: 1,
            channelId: 3,
            changes: { slowModeEnabled: true, slowModeIntervalSeconds: 30 },
            updatedByAdminId: ADMIN,
            updatedAt: at(9),
          },
        },
      ]),
    );
    expect(await store.get<DiscussionDoc>(collections.discussions, '1')).toEqual({
      id: 1,
      channelId: 3,
      title: 'VIP Signals Discussion',
      isEnabled: true,
      requiredFeatureKey: 'chat.discussion',
      slowModeEnabled: true,
      slowModeIntervalSeconds: 30,
      createdByAdminId: ADMIN,
      createdAt: at(5),
      updatedAt: at(9),
    });
  });

  it('When a message is posted, edited, deleted and restored, then the document tracks who did what and when', async () => {
    await apply(
      record([
        discussionCreated(3, 1),
        messagePosted(3, 1, 11),
        {
          type: 'DiscussionMessageEdited',
          data: {
            messageId: 11,
            discussionId: 1,
            channelId: 3,
            body: 'edited',
            editedBy: { type: 'USER', id: 'user-1' },
            editedAt: at(40),
          },
        },
        {
          type: 'DiscussionMessageDeleted',
          data: {
            messageId: 11,
            discussionId: 1,
            channelId: 3,
            deletedByUserId: null,
            deletedByAdminId: ADMIN,
            deletedAt: at(41),
          },
        },
      ]),
    );
    expect(await store.get<DiscussionMessageDoc>(collections.discussionMessages, '11')).toEqual({
      id: 11,
      discussionId: 1,
      channelId: 3,
      authorType: 'USER',
      authorUserId: 'user-1',
      authorAdminId: null,
      body: 'edited',
      isDeleted: true,
      deletedAt: at(41),
      deletedByUserId: null,
      deletedByAdminId: ADMIN,
      editedAt: at(40),
      editedByUserId: 'user-1',
      editedByAdminId: null,
      createdAt: at(31),
      updatedAt: at(41),
    });
    await apply(
      record(
        [
          {
            type: 'DiscussionMessageRestored',
            data: { messageId: 11, discussionId: 1, channelId: 3, restoredByAdminId: ADMIN, restoredAt: at(42) },
          },
        ],
        10n,
      ),
    );
    expect(await store.get<DiscussionMessageDoc>(collections.discussionMessages, '11')).toMatchObject({
      isDeleted: false,
      deletedAt: null,
      deletedByAdminId: null,
      body: 'edited',
      updatedAt: at(42),
    });
  });

  it('When a user is banned, muted, then unbanned, then the restriction keeps the mute and drops the ban', async () => {
    const base = { discussionId: 1, channelId: 3, userId: 'user-2' };
    await apply(
      record([
        { type: 'UserBanned', data: { ...base, until: null, reason: 'spam', bannedByAdminId: ADMIN, bannedAt: at(1) } },
        { type: 'UserMuted', data: { ...base, until: at(50), mutedByAdminId: ADMIN, mutedAt: at(2) } },
      ]),
    );
    expect(await store.get<DiscussionRestrictionDoc>(collections.discussionRestrictions, '1:user-2')).toEqual({
      ...base,
      ban: { until: null, reason: 'spam', bannedAt: at(1) },
      mute: { until: at(50), mutedAt: at(2) },
    });
    await apply(
      record([{ type: 'UserUnbanned', data: { ...base, unbannedByAdminId: ADMIN, unbannedAt: at(3) } }], 10n),
    );
    expect(await store.get<DiscussionRestrictionDoc>(collections.discussionRestrictions, '1:user-2')).toMatchObject({
      ban: null,
      mute: { until: at(50) },
    });
  });

  it('When a message edit names an unknown message, then applying it throws', async () => {
    const events = record([
      {
        type: 'DiscussionMessageEdited',
        data: {
          messageId: 5,
          discussionId: 1,
          channelId: 3,
          body: 'x',
          editedBy: { type: 'USER', id: 'u' },
          editedAt: at(1),
        },
      },
    ]);
    await expect(applyEvents(store, discussionMessagesProjection, events)).rejects.toThrow(
      'no discussionMessages document with key 5',
    );
  });

  it('When a discussion update names an unknown discussion, then applying it throws', async () => {
    const events = record([
      {
        type: 'DiscussionUpdated',
        data: { discussionId: 4, channelId: 3, changes: {}, updatedByAdminId: ADMIN, updatedAt: at(1) },
      },
    ]);
    await expect(applyEvents(store, discussionsProjection, events)).rejects.toThrow(
      'no discussions document with key 4',
    );
  });
});
