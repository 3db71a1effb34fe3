import { CHART_PAYLOAD_BOUNDS } from '../../http/jsonBounds';
import { compileSchema, keySchema } from '../../http/validation';
import { STORAGE_KEY_PATTERN } from '../../media/storageKey';
import type { Attachment, ChannelKind, ChannelStatus, ChannelVisibility, PostType } from './channelEvents';
import type { AccessPolicy } from '../../access/channelAccess';

const nullableString = (maxLength: number, minLength = 0) => ({ type: 'string', nullable: true, minLength, maxLength });
const channelFields = {
  title: { type: 'string', minLength: 1, maxLength: 200 },
  description: nullableString(2000),
  visibility: { type: 'string', enum: ['PUBLIC', 'PRIVATE'] },
  accessPolicy: { type: 'string', enum: ['OPEN', 'EXTERNAL_GATED'] },
  entitlementKey: keySchema(true),
};
const gatedNeedsKey = {
  if: { properties: { accessPolicy: { const: 'EXTERNAL_GATED' } }, required: ['accessPolicy'] },
  then: { required: ['entitlementKey'], properties: { entitlementKey: { type: 'string' } } },
};

export type CreateChannelBody = {
  kind: ChannelKind;
  accessPolicy: AccessPolicy;
  visibility: ChannelVisibility;
  title: string;
  description?: string | null;
  entitlementKey?: string | null;
};
export const validateCreateChannel = compileSchema<CreateChannelBody>({
  type: 'object',
  additionalProperties: false,
  required: ['kind', 'accessPolicy', 'visibility', 'title'],
  properties: { kind: { type: 'string', enum: ['BROADCAST', 'GROUP'] }, ...channelFields },
  ...gatedNeedsKey,
});

export type UpdateChannelBody = Partial<Omit<CreateChannelBody, 'kind'> & { status: ChannelStatus }>;
export const validateUpdateChannel = compileSchema<UpdateChannelBody>({
  type: 'object',
  additionalProperties: false,
  minProperties: 1,
  properties: { ...channelFields, status: { type: 'string', enum: ['ACTIVE', 'ARCHIVED'] } },
});

const attachment = {
  type: 'object',
  additionalProperties: false,
  required: ['storageKey', 'fileName', 'mimeType', 'sizeBytes', 'displayOrder'],
  properties: {
    storageKey: { type: 'string', minLength: 1, maxLength: 500, pattern: STORAGE_KEY_PATTERN },
    fileName: { type: 'string', minLength: 1, maxLength: 255 },
    mimeType: { type: 'string', pattern: '^[\\w.+-]+/[\\w.+-]+$', maxLength: 100 },
    // JSON numbers above 2^53-1 are not exact in JavaScript (2^64 would be stored as 18446744073709552000).
    sizeBytes: { type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER },
    displayOrder: { type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER },
  },
};
const postFields = {
  type: { type: 'string', enum: ['TEXT', 'LINK', 'CHART', 'MEDIA'] },
  bodyText: nullableString(20000),
  linkUrl: { type: 'string', nullable: true, format: 'uri', pattern: '^https?://', maxLength: 2000 },
  chartPayloadJson: { jsonBounds: CHART_PAYLOAD_BOUNDS },
  attachments: { type: 'array', maxItems: 20, items: attachment },
};

export type PostBody = {
  type: PostType;
  bodyText?: string | null;
  linkUrl?: string | null;
  chartPayloadJson?: unknown;
  attachments?: Array<Omit<Attachment, 'id'>>;
};
export const validatePublishPost = compileSchema<PostBody>({
  type: 'object',
  additionalProperties: false,
  required: ['type'],
  properties: postFields,
});

export type EditPostBody = Partial<PostBody>;
export const validateEditPost = compileSchema<EditPostBody>({
  type: 'object',
  additionalProperties: false,
  minProperties: 1,
  properties: postFields,
});
