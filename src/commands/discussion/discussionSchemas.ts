import { compileSchema, keySchema } from '../../http/validation';
import type { DiscussionSettings } from './discussionEvents';

export type DiscussionBody = Partial<DiscussionSettings>;
export const validateDiscussion = compileSchema<DiscussionBody>({
  type: 'object',
  additionalProperties: false,
  properties: {
    title: { type: 'string', minLength: 1, maxLength: 200 },
    isEnabled: { type: 'boolean' },
    requiredFeatureKey: keySchema(true),
    slowModeEnabled: { type: 'boolean' },
    slowModeIntervalSeconds: { type: 'integer', nullable: true, minimum: 1, maximum: 86400 },
  },
});

export type MessageBody = { body: string };
export const validateMessage = compileSchema<MessageBody>({
  type: 'object',
  additionalProperties: false,
  required: ['body'],
  // At least one non-blank character.
  properties: { body: { type: 'string', minLength: 1, maxLength: 4000, pattern: '\\S' } },
});

export type BanBody = { until?: string | null; reason?: string | null };
export const validateBan = compileSchema<BanBody>({
  type: 'object',
  additionalProperties: false,
  properties: {
    until: { type: 'string', nullable: true, format: 'date-time' },
    reason: { type: 'string', nullable: true, maxLength: 500 },
  },
});

export type MuteBody = { until: string };
export const validateMute = compileSchema<MuteBody>({
  type: 'object',
  additionalProperties: false,
  required: ['until'],
  properties: { until: { type: 'string', format: 'date-time' } },
});
