import { collections, type ChannelDoc } from '../../src/projections/documents';
import { channelsProjection } from '../../src/projections/channelsProjection';
import type { ReadModelStore } from '../../src/readModels/readModelStore';
import { ADMIN, applyEvents, at, channelCreated, openReadModels, record } from './projectionFixtures';

describe('Given the channels projection on a real SQLite read-model store', () => {
  let store: ReadModelStore;
  beforeEach(async () => {
    store = await openReadModels([channelsProjection]);
  });
  afterEach(() => store.close());

  it('When a channel is created, then its document carries every field, updatedAt = createdAt and no discussion', async () => {
    await applyEvents(
      store,
      channelsProjection,
      record([channelCreated(3, { accessPolicy: 'EXTERNAL_GATED', entitlementKey: 'vip' })]),
    );
    expect(await store.get<ChannelDoc>(collections.channels, '3')).toEqual({
      id: 3,
      kind: 'BROADCAST',
      accessPolicy: 'EXTERNAL_GATED',
      status: 'ACTIVE',
      visibility: 'PUBLIC',
      title: 'Channel 3',
      description: null,
      entitlementKey: 'vip',
      discussionId: null,
      createdByAdminId: ADMIN,
      createdAt: at(3),
      updatedAt: at(3),
    });
  });

  it('When it is updated and a discussion attached, then only the changed fields move and updatedAt follows the update', async () => {
    await applyEvents(
      store,
      channelsProjection,
      record([
        channelCreated(3),
        {
          type: 'ChannelUpdated',
          data: {
            channelId: 3,
            changes: { title: 'New', status: 'ARCHIVED' },
            updatedByAdminId: ADMIN,
            updatedAt: at(30),
          },
        },
        { type: 'DiscussionAttached', data: { channelId: 3, discussionId: 7, attachedAt: at(31) } },
      ]),
    );
    const channel = await store.get<ChannelDoc>(collections.channels, '3');
    expect(channel).toMatchObject({
      title: 'New',
      status: 'ARCHIVED',
      visibility: 'PUBLIC',
      discussionId: 7,
      updatedAt: at(30),
    });
  });

  it('When an update names an unknown channel, then applying it throws naming the missing document', async () => {
    const events = record([
      {
        type: 'ChannelUpdated',
        data: { channelId: 9, changes: { title: 'x' }, updatedByAdminId: ADMIN, updatedAt: at(1) },
      },
    ]);
    await expect(applyEvents(store, channelsProjection, events)).rejects.toThrow('no channels document with key 9');
    expect(await store.readCheckpoint('channels', 1)).toBeUndefined();
  });
});
