import fs from 'node:fs';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { ASYNCAPI_FILE, renderAsyncApiFile } from '../../src/apiDocs/writeAsyncApiFile';
import { startTestApp, type TestApp } from '../helpers/testApp';
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the package ships CommonJS JSON schemas
const specs = require('@asyncapi/specs') as { schemas: Record<string, object> };

/** AJV against the official AsyncAPI 3.0.0 JSON schema (which carries its own draft-07 meta-schema). */
const validateAsyncApi = (() => {
  const ajv = new Ajv({ strict: false, allErrors: true, meta: false, validateSchema: false });
  addFormats(ajv);
  return ajv.compile(specs.schemas['3.0.0']);
})();

describe('Given the running service', () => {
  let server: TestApp;
  beforeAll(async () => {
    server = await startTestApp();
  });
  afterAll(() => server.stop());

  it('When GET /asyncapi.json, then it is a valid AsyncAPI 3.0 document', async () => {
    const response = await server.request('GET', '/asyncapi.json');
    expect(response.status).toBe(200);
    expect(validateAsyncApi(response.body)).toBe(true);
    expect(validateAsyncApi.errors ?? null).toBeNull();
  });

  it('When the document is broken, then the same schema refuses it (the check can fail)', async () => {
    const { body } = await server.request('GET', '/asyncapi.json');
    body.operations.joinChannelPosts.action = 'listen';
    expect(validateAsyncApi(body)).toBe(false);
  });

  it('When docs/asyncapi.json is read, then it is exactly what the code generates (npm run docs:asyncapi)', async () => {
    const { body } = await server.request('GET', '/asyncapi.json');
    expect(fs.readFileSync(ASYNCAPI_FILE, 'utf8')).toBe(renderAsyncApiFile());
    expect(JSON.parse(fs.readFileSync(ASYNCAPI_FILE, 'utf8'))).toEqual(body);
  });

  it('When reading it, then it has the two rooms, six client events with acks and every server event', async () => {
    const { body } = await server.request('GET', '/asyncapi.json');
    expect(body.channels.channelPosts.address).toBe('communication:channel:{channelId}:posts');
    expect(body.channels.discussionMessages.address).toBe('communication:discussion:{discussionId}:messages');
    const names = Object.values(body.components.messages as Record<string, { name: string }>).map((m) => m.name);
    for (const event of [
      'join_channel_posts',
      'leave_channel_posts',
      'join_discussion',
      'leave_discussion',
      'sync_channel_posts',
      'sync_discussion',
    ]) {
      expect(names).toEqual(expect.arrayContaining([`communication:${event}`, `communication:${event} (ack)`]));
    }
    expect(Object.keys(body.channels.channelPosts.messages)).toHaveLength(4);
    expect(Object.keys(body.channels.discussionMessages.messages)).toHaveLength(4);
    expect(names).toContain('communication.room.access_revoked');
    expect(body.components.schemas.ResetReason.enum).toEqual(['UNKNOWN_EVENT_ID', 'TOO_FAR_BEHIND', 'ACCESS_CHANGED']);
    expect(body.components.schemas.AckErrorCode.enum).toEqual([
      'UNAUTHORIZED',
      'FORBIDDEN',
      'NOT_FOUND',
      'VALIDATION_ERROR',
      'SERVICE_UNAVAILABLE',
      'RATE_LIMITED',
    ]);
  });
});
