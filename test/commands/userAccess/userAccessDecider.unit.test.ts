import { userAccessDecider, type UserAccessCommand } from '../../../src/commands/userAccess/userAccessDecider';
import type { UserAccessEvent } from '../../../src/commands/userAccess/userAccessEvents';
import { deciderSpecification } from '../../helpers/givenWhenThen';

const spec = deciderSpecification(userAccessDecider);
const now = '2026-03-19T12:00:00.000Z';
const grant = (validUntil: string | null, at = now): UserAccessCommand => ({
  type: 'GrantEntitlement',
  data: { userId: 'u1', key: 'vip', validUntil, now: at },
});
const revoke: UserAccessCommand = { type: 'RevokeEntitlement', data: { userId: 'u1', key: 'vip', now } };
const granted = (validUntil: string | null): UserAccessEvent => ({
  type: 'EntitlementGranted',
  data: { userId: 'u1', entitlementKey: 'vip', validUntil, grantedAt: '2026-03-01T00:00:00.000Z' },
});

describe('Given no entitlement', () => {
  it('When the subscription system grants one, then it is granted', () =>
    spec
      .given([])
      .when(grant('2026-04-01T00:00:00.000Z'))
      .then([
        {
          type: 'EntitlementGranted',
          data: { userId: 'u1', entitlementKey: 'vip', validUntil: '2026-04-01T00:00:00.000Z', grantedAt: now },
        },
      ]));
  it('When it is revoked, then nothing happens (idempotent)', () => spec.given([]).when(revoke).thenNothingHappens());
});

describe('Given an active entitlement', () => {
  it('When the same grant arrives again, then nothing happens', () =>
    spec
      .given([granted(null)])
      .when(grant(null))
      .thenNothingHappens());
  it('When it is extended, then the new validUntil is recorded', () =>
    spec
      .given([granted('2026-04-01T00:00:00.000Z')])
      .when(grant('2026-05-01T00:00:00.000Z'))
      .then([
        {
          type: 'EntitlementGranted',
          data: { userId: 'u1', entitlementKey: 'vip', validUntil: '2026-05-01T00:00:00.000Z', grantedAt: now },
        },
      ]));
  it('When it is revoked, then the revocation time is recorded', () =>
    spec
      .given([granted(null)])
      .when(revoke)
      .then([{ type: 'EntitlementRevoked', data: { userId: 'u1', entitlementKey: 'vip', revokedAt: now } }]));
});

describe('Given an entitlement whose validUntil has passed', () => {
  it('When it is revoked, then nothing happens: it was already lost at validUntil', () =>
    spec
      .given([granted('2026-03-10T00:00:00.000Z')])
      .when(revoke)
      .thenNothingHappens());
  it('When it is granted again with the same validUntil, then it is recorded (the old grant is not in force)', () =>
    spec
      .given([granted(now)])
      .when(grant(now))
      .then([
        { type: 'EntitlementGranted', data: { userId: 'u1', entitlementKey: 'vip', validUntil: now, grantedAt: now } },
      ]));
});

describe('Given features', () => {
  it('When a feature is granted, then FeatureGranted is recorded', () =>
    spec
      .given([])
      .when({ type: 'GrantFeature', data: { userId: 'u1', key: 'chat.discussion', validUntil: null, now } })
      .then([
        {
          type: 'FeatureGranted',
          data: { userId: 'u1', featureKey: 'chat.discussion', validUntil: null, grantedAt: now },
        },
      ]));
  it('When an active feature is revoked, then FeatureRevoked is recorded', () =>
    spec
      .given([{ type: 'FeatureGranted', data: { userId: 'u1', featureKey: 'f', validUntil: null, grantedAt: now } }])
      .when({ type: 'RevokeFeature', data: { userId: 'u1', key: 'f', now } })
      .then([{ type: 'FeatureRevoked', data: { userId: 'u1', featureKey: 'f', revokedAt: now } }]));
});
