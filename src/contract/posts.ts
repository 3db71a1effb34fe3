import { Type, type Static } from '@sinclair/typebox';
import { CHART_PAYLOAD_BOUNDS } from '../http/jsonBounds';
import { STORAGE_KEY_PATTERN } from '../media/storageKey';
import {
  DataResponse,
  DateTime,
  IdCursorParam,
  LimitParam,
  Nullable,
  NullableDateTime,
  NumericId,
  Page,
  PostIdString,
  PostType,
  WrittenResponse,
} from './common';

export const AttachmentInput = Type.Object(
  {
    storageKey: Type.String({ minLength: 1, maxLength: 500, pattern: STORAGE_KEY_PATTERN }),
    fileName: Type.String({ minLength: 1, maxLength: 255 }),
    mimeType: Type.String({ pattern: '^[\\w.+-]+/[\\w.+-]+$', maxLength: 100 }),
    // JSON numbers above 2^53-1 are not exact in JavaScript (2^64 would be stored as 18446744073709552000).
    sizeBytes: Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER }),
    displayOrder: Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER }),
  },
  { title: 'AttachmentInput', additionalProperties: false },
);
export type AttachmentInput = Static<typeof AttachmentInput>;

const postFields = {
  type: PostType,
  bodyText: Type.Optional(Nullable(Type.String({ minLength: 0, maxLength: 20000 }))),
  linkUrl: Type.Optional(Nullable(Type.String({ format: 'uri', pattern: '^https?://', maxLength: 2000 }))),
  chartPayloadJson: Type.Optional(
    Type.Unknown({ description: 'any JSON value, drawn by the app', jsonBounds: CHART_PAYLOAD_BOUNDS }),
  ),
  attachments: Type.Optional(Type.Array(AttachmentInput, { maxItems: 20 })),
};

export const PublishPostBody = Type.Object(postFields, { title: 'PublishPostBody', additionalProperties: false });
export type PublishPostBody = Static<typeof PublishPostBody>;

export const EditPostBody = Type.Object(
  { ...postFields, type: Type.Optional(PostType) },
  { title: 'EditPostBody', additionalProperties: false, minProperties: 1 },
);
export type EditPostBody = Static<typeof EditPostBody>;

/** An attachment as clients read it: structured metadata plus the resolved `url`. */
export const Attachment = Type.Object(
  {
    id: Type.String(),
    storageKey: Type.String(),
    url: Nullable(Type.String({ description: 'download URL; null when the key cannot resolve under the media base' })),
    fileName: Type.String(),
    mimeType: Type.String(),
    sizeBytes: Type.Integer({ minimum: 0 }),
    displayOrder: Type.Integer({ minimum: 0 }),
  },
  { title: 'Attachment', additionalProperties: false },
);
export type Attachment = Static<typeof Attachment>;

/** The spec's post detail; a deleted post is a tombstone with its content blanked. */
export const Post = Type.Object(
  {
    id: PostIdString(),
    channelId: NumericId(),
    publishedAt: DateTime(),
    createdByAdminId: Type.String(),
    type: PostType,
    bodyText: Nullable(Type.String()),
    linkUrl: Nullable(Type.String()),
    chartPayloadJson: Type.Unknown({ description: 'any JSON value, or null' }),
    isPinned: Type.Boolean(),
    pinnedAt: NullableDateTime(),
    isDeleted: Type.Boolean(),
    deletedAt: NullableDateTime(),
    attachments: Type.Array(Attachment),
    createdAt: DateTime(),
    updatedAt: DateTime(),
  },
  { title: 'Post', additionalProperties: false },
);
export type Post = Static<typeof Post>;

export const PostsPage = Page(
  Post,
  Type.Object(
    {
      next_after_id: Nullable(Type.String({ description: 'newest post id in this page' })),
      next_before_id: Nullable(Type.String({ description: 'oldest post id in this page' })),
    },
    { additionalProperties: false },
  ),
  'PostsPage',
);
export type PostsPage = Static<typeof PostsPage>;

export const PostsPageResponse = DataResponse(PostsPage, 'PostsPageResponse');
export const PostResponse = DataResponse(Post, 'PostResponse');
export const PostWritten = WrittenResponse(Post, 'PostWritten');

export const PostsQuery = Type.Object({
  after_id: Type.Optional(IdCursorParam('newer posts, id > after_id, ascending')),
  before_id: Type.Optional(IdCursorParam('older posts, id < before_id, descending')),
  limit: Type.Optional(LimitParam()),
});
export type PostsQuery = Static<typeof PostsQuery>;
