import { Type, type Static, type TSchema, type TUnsafe } from '@sinclair/typebox';

/**
 * Building blocks of the API contract. Every request and response schema is a TypeBox
 * schema: the TypeScript type is `Static<typeof Schema>`, AJV compiles the same object,
 * and the OpenAPI / AsyncAPI documents embed it. A schema with a `title` becomes a named
 * component in the documents.
 */

/** User ids and entitlement/feature keys: opaque strings of a safe alphabet, in paths and bodies alike. */
export const KEY_PATTERN = /^[A-Za-z0-9._:@-]{1,200}$/;
export const KEY_DESCRIPTION = '1-200 characters of A-Z a-z 0-9 . _ : @ -';

/** A string of one of `values`; one `enum` keyword (not anyOf), so validation errors stay one line. */
export const StringEnum = <const Values extends readonly string[]>(values: Values, options: object = {}) =>
  Type.Unsafe<Values[number]>({ type: 'string', enum: [...values], ...options });

type Nullable<T extends TSchema> = TUnsafe<Static<T> | null>;

/** `T` or null as one `type: [T, 'null']` keyword (JSON Schema 2020-12, OpenAPI 3.1, AJV alike). */
export const Nullable = <T extends TSchema>(schema: T): Nullable<T> => {
  // A JSON copy drops TypeBox's symbol keys, so the result is a plain schema of its own kind.
  const { type, ...rest } = JSON.parse(JSON.stringify(schema)) as { type: string };
  return Type.Unsafe<Static<T> | null>({ ...rest, type: [type, 'null'] });
};

export const Key = (options: object = {}) => Type.String({ pattern: KEY_PATTERN.source, ...options });
export const DateTime = (options: object = {}) => Type.String({ format: 'date-time', ...options });
export const NullableDateTime = () => Nullable(DateTime());
/** Channel, discussion and message ids: positive integers that fit a JS number exactly. */
export const NumericId = (options: object = {}) =>
  Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER, ...options });
/** Post ids are strings in every response (the spec's paging cursor type). */
export const PostIdString = () => Type.String({ pattern: '^[1-9][0-9]{0,15}$' });

export const ChannelKind = StringEnum(['BROADCAST', 'GROUP'] as const);
export const ChannelVisibility = StringEnum(['PUBLIC', 'PRIVATE'] as const);
export const ChannelStatus = StringEnum(['ACTIVE', 'ARCHIVED'] as const);
export const AccessPolicy = StringEnum(['OPEN', 'EXTERNAL_GATED'] as const);
export const PostType = StringEnum(['TEXT', 'LINK', 'CHART', 'MEDIA'] as const);
export const AuthorType = StringEnum(['USER', 'ADMIN'] as const);

export const ErrorCode = StringEnum([
  'BAD_REQUEST',
  'UNAUTHORIZED',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'VALIDATION_ERROR',
  'RATE_LIMITED',
  'PAYLOAD_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
  'SERVICE_UNAVAILABLE',
  'INTERNAL_ERROR',
] as const);

/** Every HTTP error body. */
export const ErrorBody = Type.Object(
  {
    message: Type.String(),
    code: ErrorCode,
    details: Type.Optional(Type.Unknown({ description: 'per code: validation problems, the 403 reason, Retry-After' })),
  },
  { title: 'Error', additionalProperties: false },
);
export type ErrorBody = Static<typeof ErrorBody>;

/** `{ message, data }`: every successful read. */
export const DataResponse = <T extends TSchema>(data: T, title: string) =>
  Type.Object({ message: Type.String(), data }, { title, additionalProperties: false });

/** `{ message, data, position }`: every successful write; position is the log position of its last event. */
export const WrittenResponse = <T extends TSchema>(data: T, title: string) =>
  Type.Object(
    {
      message: Type.String(),
      data,
      position: Type.String({ pattern: '^[0-9]+$', description: 'global log position, for read-your-writes' }),
    },
    { title, additionalProperties: false },
  );

/** Query strings: a page size of 1..100 (default 20) and non-negative id cursors that fit a JS number. */
export const LimitParam = () =>
  Type.String({ pattern: '^([1-9]|[1-9][0-9]|100)$', description: '1-100, default 20', examples: ['20'] });
export const IdCursorParam = (description: string) => Type.String({ pattern: '^(0|[1-9][0-9]{0,15})$', description });

/** Paging envelope of the mobile lists. */
export const Page = <Item extends TSchema, Cursor extends TSchema>(item: Item, cursor: Cursor, title: string) =>
  Type.Object(
    { items: Type.Array(item), cursor, limit: Type.Integer(), has_more: Type.Boolean(), count: Type.Integer() },
    { title, additionalProperties: false },
  );
