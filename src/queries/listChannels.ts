import { collections, type ChannelDoc, type MembershipDoc, type UserAccessDoc } from '../projections/documents';
import type { ReadModelStore } from '../readModels/readModelStore';
import { channelAccessFrom, type ChannelAccessContext } from './accessContext';
import { decodeChannelCursor, encodeChannelCursor, type ChannelCursor } from './channelCursor';
import { presentChannel } from '../http/presenters';
import type { ChannelsPage } from '../contract';

type Reader = Pick<ReadModelStore, 'get' | 'find'>;

/**
 * Who sees a channel in the list. PUBLIC channels are listed to everyone (gated ones
 * too, so the app can offer the paywall). PRIVATE means unlisted: it appears only to a
 * user who joined it or who currently holds its entitlement.
 */
export const isListedFor = (context: ChannelAccessContext, userId: string | undefined): boolean => {
  if (context.channel.visibility === 'PUBLIC') return true;
  if (userId === undefined) return false;
  return context.isJoined || (context.channel.accessPolicy === 'EXTERNAL_GATED' && context.access.canRead);
};

/** The next `count` channels after `cursor`, newest first (createdAt desc, id desc). */
const scan = async (readModels: Reader, cursor: ChannelCursor | undefined, count: number): Promise<ChannelDoc[]> => {
  const orderBy: Array<[string, 'asc' | 'desc']> = [
    ['createdAt', 'desc'],
    ['id', 'desc'],
  ];
  if (cursor === undefined) return readModels.find<ChannelDoc>(collections.channels, { orderBy, limit: count });
  const sameInstant = await readModels.find<ChannelDoc>(collections.channels, {
    where: { createdAt: cursor.createdAt, id: { lt: cursor.id } },
    orderBy,
    limit: count,
  });
  if (sameInstant.length === count) return sameInstant;
  const older = await readModels.find<ChannelDoc>(collections.channels, {
    where: { createdAt: { lt: cursor.createdAt } },
    orderBy,
    limit: count - sameInstant.length,
  });
  return [...sameInstant, ...older];
};

export const listChannels = async (
  readModels: Reader,
  request: { cursor: string | undefined; limit: number; userId: string | undefined; now: Date },
): Promise<ChannelsPage> => {
  const { limit, userId, now } = request;
  let position = request.cursor === undefined ? undefined : decodeChannelCursor(request.cursor);
  const [memberships, userAccess] =
    userId === undefined
      ? [[], undefined]
      : await Promise.all([
          readModels.find<MembershipDoc>(collections.memberships, { where: { userId } }),
          readModels.get<UserAccessDoc>(collections.userAccess, userId),
        ]);
  const membershipOf = new Map(memberships.map((membership) => [membership.channelId, membership]));
  const listed: ChannelAccessContext[] = [];
  // Unlisted channels are skipped, so scan until one more than a page is found (for has_more).
  const chunk = Math.max(limit + 1, 50);
  for (;;) {
    const candidates = await scan(readModels, position, chunk);
    for (const channel of candidates) {
      const context = channelAccessFrom({ channel, userId, membership: membershipOf.get(channel.id), userAccess, now });
      if (isListedFor(context, userId)) listed.push(context);
      if (listed.length > limit) break;
    }
    if (listed.length > limit || candidates.length < chunk) break;
    const last = candidates[candidates.length - 1];
    position = { createdAt: last.createdAt, id: last.id };
  }
  const page = listed.slice(0, limit);
  const hasMore = listed.length > limit;
  const last = page[page.length - 1]?.channel;
  return {
    items: page.map((context) =>
      presentChannel(context.channel, { isJoined: context.isJoined, isLocked: context.access.isLocked }),
    ),
    cursor: { next_cursor: hasMore && last ? encodeChannelCursor({ createdAt: last.createdAt, id: last.id }) : null },
    limit,
    has_more: hasMore,
    count: page.length,
  };
};
