import { v7 as uuidv7 } from 'uuid';
import { streams } from '../../../src/commands/streams';
import type { ChannelCreated, PostPublished } from '../../../src/commands/channel/channelEvents';
import type { EventStore, NewEvent } from '../../../src/eventStore/eventStore';
import type { Projections } from '../../../src/projections/projections';

const metadata = () => ({
  actor: { type: 'system' as const, id: 'push-test' },
  correlationId: uuidv7(),
  causationId: uuidv7(),
});
const event = (type: string, data: unknown): NewEvent => ({ id: uuidv7(), type, data, metadata: metadata() });

export type ChannelSetup = {
  kind?: 'BROADCAST' | 'GROUP';
  accessPolicy?: 'OPEN' | 'EXTERNAL_GATED';
  entitlementKey?: string | null;
};

/**
 * Writes domain events straight through the event store port (as the write side would)
 * and waits until the projections applied them, as a write route does before answering.
 */
export const createPushGiven = (eventStore: EventStore, projections: Pick<Projections, 'waitForPosition'>) => {
  const append = async (stream: string, events: NewEvent[]): Promise<bigint> => {
    const { position } = await eventStore.appendToStream(stream, events);
    if (!(await projections.waitForPosition(position, 10000))) throw new Error(`projections did not reach ${position}`);
    return position;
  };

  return {
    append,
    channel: (channelId: number, setup: ChannelSetup = {}, at = '2030-01-01T00:00:00.000Z') => {
      const data: ChannelCreated['data'] = {
        channelId,
        kind: setup.kind ?? 'BROADCAST',
        accessPolicy: setup.accessPolicy ?? 'OPEN',
        visibility: 'PUBLIC',
        status: 'ACTIVE',
        title: `channel ${channelId}`,
        description: null,
        entitlementKey: setup.entitlementKey ?? null,
        createdByAdminId: 'admin-1',
        createdAt: at,
      };
      return append(streams.channel(channelId), [event('ChannelCreated', data)]);
    },
    joined: (userId: string, channelId: number, at: string) =>
      append(streams.membership(userId), [event('ChannelJoined', { userId, channelId, joinedAt: at })]),
    left: (userId: string, channelId: number, joinedAt: string, at: string) =>
      append(streams.membership(userId), [event('ChannelLeft', { userId, channelId, joinedAt, leftAt: at })]),
    granted: (userId: string, entitlementKey: string, at: string, validUntil: string | null = null) =>
      append(streams.userAccess(userId), [
        event('EntitlementGranted', { userId, entitlementKey, validUntil, grantedAt: at }),
      ]),
    revoked: (userId: string, entitlementKey: string, at: string) =>
      append(streams.userAccess(userId), [event('EntitlementRevoked', { userId, entitlementKey, revokedAt: at })]),
    published: (channelId: number, postId: number, at: string) => {
      const data: PostPublished['data'] = {
        postId,
        channelId,
        type: 'TEXT',
        bodyText: `post ${postId}`,
        linkUrl: null,
        chartPayloadJson: null,
        attachments: [],
        createdByAdminId: 'admin-1',
        publishedAt: at,
      };
      return append(streams.channel(channelId), [event('PostPublished', data)]);
    },
    postChanged: (channelId: number, postId: number, at: string) =>
      append(streams.channel(channelId), [
        event('PostEdited', {
          postId,
          channelId,
          changes: { bodyText: 'edited' },
          editedByAdminId: 'admin-1',
          editedAt: at,
        }),
        event('PostPinned', { postId, channelId, pinnedByAdminId: 'admin-1', pinnedAt: at }),
        event('PostUnpinned', { postId, channelId, unpinnedByAdminId: 'admin-1', unpinnedAt: at }),
        event('PostDeleted', { postId, channelId, deletedByAdminId: 'admin-1', deletedAt: at }),
      ]),
  };
};

export type PushGiven = ReturnType<typeof createPushGiven>;
