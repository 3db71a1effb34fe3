import { collections, type PostDoc } from '../projections/documents';
import type { ReadModelStore } from '../readModels/readModelStore';
import { presentPost } from '../http/presenters';
import type { PostsPageRequest } from './queryParams';
import type { PostsPage } from '../contract';

/**
 * One page of a channel's posts, ordered by post id: ascending after `after_id`,
 * descending before `before_id` (or from the newest when neither is given). One extra
 * row is read to know whether more exist in the paging direction.
 */
export const listPosts = async (
  readModels: Pick<ReadModelStore, 'find'>,
  channelId: number,
  request: PostsPageRequest,
  mediaBaseUrl: string,
): Promise<PostsPage> => {
  const { limit } = request;
  const rows =
    request.mode === 'after'
      ? await readModels.find<PostDoc>(collections.posts, {
          where: { channelId, id: { gt: request.afterId } },
          orderBy: [['id', 'asc']],
          limit: limit + 1,
        })
      : await readModels.find<PostDoc>(collections.posts, {
          where: request.beforeId === undefined ? { channelId } : { channelId, id: { lt: request.beforeId } },
          orderBy: [['id', 'desc']],
          limit: limit + 1,
        });
  const page = rows.slice(0, limit);
  const ids = page.map((post) => post.id);
  return {
    items: page.map((post) => presentPost(post, mediaBaseUrl)),
    cursor: {
      next_after_id: ids.length > 0 ? String(Math.max(...ids)) : null,
      next_before_id: ids.length > 0 ? String(Math.min(...ids)) : null,
    },
    limit,
    has_more: rows.length > limit,
    count: page.length,
  };
};
