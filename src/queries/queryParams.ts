import { ValidationError } from '../errors';
import { compileSchema, parseWith } from '../http/validation';

/** Non-negative integer strings that fit a JS number exactly (post and message ids). */
const ID_CURSOR = '^(0|[1-9][0-9]{0,15})$';
/** 1..100 */
const LIMIT = '^([1-9]|[1-9][0-9]|100)$';

export const DEFAULT_LIMIT = 20;

type PostsQuery = { after_id?: string; before_id?: string; limit?: string };
const validatePostsQuery = compileSchema<PostsQuery>({
  type: 'object',
  properties: {
    after_id: { type: 'string', pattern: ID_CURSOR },
    before_id: { type: 'string', pattern: ID_CURSOR },
    limit: { type: 'string', pattern: LIMIT },
  },
});

type MessagesQuery = { before_id?: string; limit?: string; view?: 'full' | 'compact' };
const validateMessagesQuery = compileSchema<MessagesQuery>({
  type: 'object',
  properties: {
    before_id: { type: 'string', pattern: ID_CURSOR },
    limit: { type: 'string', pattern: LIMIT },
    view: { type: 'string', enum: ['full', 'compact'] },
  },
});

type ChannelsQuery = { cursor?: string; limit?: string };
const validateChannelsQuery = compileSchema<ChannelsQuery>({
  type: 'object',
  properties: {
    cursor: { type: 'string', maxLength: 512 },
    limit: { type: 'string', pattern: LIMIT },
  },
});

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
