import { collections, type DiscussionMessageDoc } from '../projections/documents';
import type { ReadModelStore } from '../readModels/readModelStore';
import { presentMessageCompact, presentMessageFull } from '../http/presenters';
import type { MessagesPageRequest } from './queryParams';
import type { MessagesPage } from '../contract';

/** Newest first; `before_id` pages back. `cursor.next_before_id` is present only while older messages exist. */
export const listMessages = async (
  readModels: Pick<ReadModelStore, 'find'>,
  discussionId: number,
  request: MessagesPageRequest,
): Promise<MessagesPage> => {
  const { limit, beforeId } = request;
  const rows = await readModels.find<DiscussionMessageDoc>(collections.discussionMessages, {
    where: beforeId === undefined ? { discussionId } : { discussionId, id: { lt: beforeId } },
    orderBy: [['id', 'desc']],
    limit: limit + 1,
  });
  const page = rows.slice(0, limit);
  const hasMore = rows.length > limit;
  const present = request.view === 'compact' ? presentMessageCompact : presentMessageFull;
  return {
    items: page.map((message) => present(message)),
    cursor: hasMore ? { next_before_id: String(page[page.length - 1].id) } : {},
    limit,
    has_more: hasMore,
    count: page.length,
  };
};
