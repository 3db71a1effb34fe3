import { ValidationError } from '../errors';
import { ChannelsQuery, MessagesQuery, PostsQuery } from '../contract';
import { compileSchema, parseWith } from '../http/validation';

export const DEFAULT_LIMIT = 20;

const validatePostsQuery = compileSchema(PostsQuery);
const validateMessagesQuery = compileSchema(MessagesQuery);
const validateChannelsQuery = compileSchema(ChannelsQuery);

type Raw = Record<string, unknown>;

/** `?after_id=&limit=` (the spec's own template) sends empty values: they mean "not given". */
const withoutEmpty = (query: unknown): Raw =>
  Object.fromEntries(Object.entries((query ?? {}) as Raw).filter(([, value]) => value !== ''));

const toId = (raw: string | undefined): number | undefined => {
  if (raw === undefined) return undefined;
  const id = Number(raw);
  if (!Number.isSafeInteger(id)) throw new ValidationError('Cursor id is out of range');
  return id;
};

const toLimit = (raw: string | undefined): number => (raw === undefined ? DEFAULT_LIMIT : Number(raw));

export type PostsPageRequest =
  { mode: 'after'; afterId: number; limit: number } | { mode: 'before'; beforeId: number | undefined; limit: number };

export const parsePostsQuery = (query: unknown): PostsPageRequest => {
  const raw = parseWith(validatePostsQuery, withoutEmpty(query), 'Query');
  if (raw.after_id !== undefined && raw.before_id !== undefined) {
    throw new ValidationError('Send only one of after_id or before_id');
  }
  const limit = toLimit(raw.limit);
  if (raw.after_id !== undefined) return { mode: 'after', afterId: toId(raw.after_id) as number, limit };
  return { mode: 'before', beforeId: toId(raw.before_id), limit };
};

export type MessagesPageRequest = { beforeId: number | undefined; limit: number; view: 'full' | 'compact' };

export const parseMessagesQuery = (query: unknown): MessagesPageRequest => {
  const raw = parseWith(validateMessagesQuery, withoutEmpty(query), 'Query');
  return { beforeId: toId(raw.before_id), limit: toLimit(raw.limit), view: raw.view ?? 'full' };
};

export const parseChannelsQuery = (query: unknown): { cursor: string | undefined; limit: number } => {
  const raw = parseWith(validateChannelsQuery, withoutEmpty(query), 'Query');
  return { cursor: raw.cursor, limit: toLimit(raw.limit) };
};
