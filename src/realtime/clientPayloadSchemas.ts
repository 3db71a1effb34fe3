import type { ValidateFunction } from 'ajv';
import { ChannelPayload, DiscussionPayload, SyncPayload } from '../contract';
import { compileSchema } from '../http/validation';

/** Validators of the client events' payloads; the schemas live in src/contract/realtime.ts. */
export const createPayloadValidators = () => ({
  channel: compileSchema(ChannelPayload),
  discussion: compileSchema(DiscussionPayload),
  // AJV fills in the default `limit`, so a validated sync payload always carries one.
  sync: compileSchema(SyncPayload) as ValidateFunction<SyncPayload & { limit: number }>,
});

export type PayloadValidators = ReturnType<typeof createPayloadValidators>;
