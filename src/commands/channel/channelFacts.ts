import type { ChannelAccessFacts, Grants } from '../../access/channelAccess';
import type { ChannelKind, ChannelStatus } from './channelEvents';
import type { ExistingChannel } from './channelState';

/** What other aggregates' decisions need to know about a channel, loaded from its stream by the use case. */
export type ChannelFacts = ChannelAccessFacts & { channelId: number; kind: ChannelKind; status: ChannelStatus };

export const toChannelFacts = (channel: ExistingChannel): ChannelFacts => ({
  channelId: channel.channelId,
  kind: channel.kind,
  status: channel.status,
  accessPolicy: channel.accessPolicy,
  entitlementKey: channel.entitlementKey,
});

/** A user's current grants, loaded from their `useraccess-{userId}` stream. */
export type UserGrants = { entitlements: Grants; features: Grants };
