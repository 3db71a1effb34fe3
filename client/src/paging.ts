import type { ChannelsQuery, MessagesPage, MessagesQuery, MobileChannel, Post, QueryOf } from './contractTypes';
import type { CallOptions, MobileApi } from './mobileApi';

type Id = number | string;

/**
 * The spec's cursors as async iterators: each page is fetched when the previous one is
 * used up, and iteration ends with the last page (`has_more: false`).
 */
export const createPaging = (api: MobileApi) => ({
  /** Every channel, following `cursor.next_cursor`. */
  channels: async function* (
    query: QueryOf<ChannelsQuery> = {},
    options: CallOptions = {},
  ): AsyncGenerator<MobileChannel> {
    let cursor = query.cursor;
    for (;;) {
      const page = (await api.listChannels({ ...query, cursor }, options)).data;
      yield* page.items;
      if (!page.has_more || !page.cursor.next_cursor) return;
      cursor = page.cursor.next_cursor;
    }
  },
  /** Posts newer than `after_id`, oldest first (`next_after_id`); from the channel's start by default. */
  postsAfter: async function* (
    channelId: Id,
    afterId: Id = 0,
    limit?: number,
    options: CallOptions = {},
  ): AsyncGenerator<Post> {
    let after = String(afterId);
    for (;;) {
      const page = (await api.listPosts(channelId, { after_id: after, limit }, options)).data;
      yield* page.items;
      if (!page.has_more || !page.cursor.next_after_id) return;
      after = page.cursor.next_after_id;
    }
  },
  /** Posts older than `before_id` (the newest when absent), newest first (`next_before_id`). */
  postsBefore: async function* (
    channelId: Id,
    beforeId?: Id,
    limit?: number,
    options: CallOptions = {},
  ): AsyncGenerator<Post> {
    let before = beforeId === undefined ? undefined : String(beforeId);
    for (;;) {
      const page = (await api.listPosts(channelId, { before_id: before, limit }, options)).data;
      yield* page.items;
      if (!page.has_more || !page.cursor.next_before_id) return;
      before = page.cursor.next_before_id;
    }
  },
  /** Discussion messages older than `before_id` (the newest when absent), newest first. */
  messagesBefore: async function* (
    channelId: Id,
    query: QueryOf<MessagesQuery> = {},
    options: CallOptions = {},
  ): AsyncGenerator<MessagesPage['items'][number]> {
    let before = query.before_id;
    for (;;) {
      const page = (await api.listMessages(channelId, { ...query, before_id: before }, options)).data;
      yield* page.items;
      if (!page.has_more || !page.cursor.next_before_id) return;
      before = page.cursor.next_before_id;
    }
  },
});

export type Paging = ReturnType<typeof createPaging>;
