import {
  collections,
  type MembershipDoc,
  type ReadStateDoc,
  type UserAccessDoc,
} from '../../src/projections/documents';
import { membershipsProjection } from '../../src/projections/membershipsProjection';
import { readStatesProjection } from '../../src/projections/readStatesProjection';
import { userAccessProjection } from '../../src/projections/userAccessProjection';
import type { ReadModelStore } from '../../src/readModels/readModelStore';
import { applyEvents, at, openReadModels, record } from './projectionFixtures';

describe('Given the per-user projections on a real SQLite read-model store', () => {
  let store: ReadModelStore;
  beforeEach(async () => {
    store = await openReadModels([membershipsProjection, userAccessProjection, readStatesProjection]);
  });
  afterEach(() => store.close());

  it('When a user joins, leaves and joins again, then the membership shows the last join and no leave', async () => {
    await applyEvents(
      store,
      membershipsProjection,
      record([
        { type: 'ChannelJoined', data: { userId: 'u1', channelId: 3, joinedAt: at(1) } },
        { type: 'ChannelLeft', data: { userId: 'u1', channelId: 3, joinedAt: at(1), leftAt: at(2) } },
      ]),
    );
    expect(await store.get<MembershipDoc>(collections.memberships, '3:u1')).toEqual({
      channelId: 3,
      userId: 'u1',
      isJoined: false,
      joinedAt: at(1),
      leftAt: at(2),
    });
    await applyEvents(
      store,
      membershipsProjection,
      record([{ type: 'ChannelJoined', data: { userId: 'u1', channelId: 3, joinedAt: at(3) } }], 10n),
    );
    const joined = await store.find<MembershipDoc>(collections.memberships, {
      where: { channelId: 3, isJoined: true },
    });
    expect(joined).toEqual([{ channelId: 3, userId: 'u1', isJoined: true, joinedAt: at(3), leftAt: null }]);
  });

  it('When entitlements and features are granted and revoked, then the document holds the latest grant of each', async () => {
    await applyEvents(
      store,
      userAccessProjection,
      record([
        {
          type: 'EntitlementGranted',
          data: { userId: 'u1', entitlementKey: 'vip', validUntil: at(50), grantedAt: at(1) },
        },
        {
          type: 'FeatureGranted',
          data: { userId: 'u1', featureKey: 'chat.discussion', validUntil: null, grantedAt: at(2) },
        },
        { type: 'EntitlementRevoked', data: { userId: 'u1', entitlementKey: 'vip', revokedAt: at(3) } },
        { type: 'FeatureRevoked', data: { userId: 'u1', featureKey: 'never-granted', revokedAt: at(4) } },
      ]),
    );
    expect(await store.get<UserAccessDoc>(collections.userAccess, 'u1')).toEqual({
      userId: 'u1',
      entitlements: { vip: { grantedAt: at(1), validUntil: at(50), revokedAt: at(3) } },
      features: { 'chat.discussion': { grantedAt: at(2), validUntil: null, revokedAt: null } },
    });
  });

  it('When read states arrive out of numeric order, then the cursor keeps the greatest as an integer, not as a string', async () => {
    const advanced = (lastSeenPostId: string, minute: number) => ({
      type: 'ReadStateAdvanced',
      data: { userId: 'u1', channelId: 3, lastSeenPostId, lastSeenAt: at(minute) },
    });
    await applyEvents(store, readStatesProjection, record([advanced('9', 1), advanced('1200', 2), advanced('300', 3)]));
    expect(await store.get<ReadStateDoc>(collections.readStates, '3:u1')).toEqual({
      channelId: 3,
      userId: 'u1',
      lastSeenPostId: '1200',
      lastSeenAt: at(2),
    });
  });
});
