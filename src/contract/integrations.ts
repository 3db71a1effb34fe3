import { Type, type Static } from '@sinclair/typebox';
import { Nullable, NullableDateTime, WrittenResponse } from './common';

export const GrantBody = Type.Object(
  { validUntil: Type.Optional(Nullable(Type.String({ format: 'date-time', description: 'absent or null: no end' }))) },
  { title: 'GrantBody', additionalProperties: false },
);
export type GrantBody = Static<typeof GrantBody>;

const grantFields = {
  isActive: Type.Boolean(),
  grantedAt: NullableDateTime(),
  validUntil: NullableDateTime(),
  revokedAt: NullableDateTime(),
  lostAt: Nullable(Type.String({ format: 'date-time', description: 'when access ended (revoked or expired)' })),
};

export const EntitlementGrant = Type.Object(
  { userId: Type.String(), entitlementKey: Type.String(), ...grantFields },
  { title: 'EntitlementGrant', additionalProperties: false },
);
export type EntitlementGrant = Static<typeof EntitlementGrant>;

export const FeatureGrant = Type.Object(
  { userId: Type.String(), featureKey: Type.String(), ...grantFields },
  { title: 'FeatureGrant', additionalProperties: false },
);
export type FeatureGrant = Static<typeof FeatureGrant>;

export const EntitlementWritten = WrittenResponse(EntitlementGrant, 'EntitlementWritten');
export const FeatureWritten = WrittenResponse(FeatureGrant, 'FeatureWritten');
