import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { makeTempDir, startTestApp, type TestApp } from '../helpers/testApp';

const run = promisify(execFile);
const VALIDATOR = path.join(
  __dirname,
  '../../node_modules/@seriousme/openapi-schema-validator/bin/validate-api-cli.js',
);

/** Runs @seriousme/openapi-schema-validator (ESM-only, so in its own node process) on a document. */
const validateOpenApi = async (document: unknown): Promise<{ valid: boolean; errors?: unknown }> => {
  const file = path.join(makeTempDir('openapi-'), 'openapi.json');
  fs.writeFileSync(file, JSON.stringify(document));
  const { stdout } = await run(process.execPath, [VALIDATOR, file]).catch((error: { stdout: string }) => error);
  return JSON.parse(stdout) as { valid: boolean; errors?: unknown };
};

describe('Given the running service', () => {
  let server: TestApp;
  beforeAll(async () => {
    server = await startTestApp();
  });
  afterAll(() => server.stop());

  it('When GET /openapi.json, then it is a valid OpenAPI 3.1 document (standard validator)', async () => {
    const response = await server.request('GET', '/openapi.json');
    expect(response.status).toBe(200);
    expect(response.body.openapi).toBe('3.1.0');
    expect(await validateOpenApi(response.body)).toEqual({ valid: true });
  });

  it('When the document is broken, then the same validator says so (the check can fail)', async () => {
    const { body } = await server.request('GET', '/openapi.json');
    body.paths['/api/mobile/channels'].get.responses = 'none';
    expect((await validateOpenApi(body)).valid).toBe(false);
  });

  it('When reading it, then every mobile, admin, integration and ops route is there with its auth', async () => {
    const { body } = await server.request('GET', '/openapi.json');
    const operations = Object.entries(body.paths as Record<string, Record<string, any>>).flatMap(([route, methods]) =>
      Object.entries(methods).map(([method, operation]) => ({ id: `${method.toUpperCase()} ${route}`, operation })),
    );
    expect(operations).toHaveLength(38);
    const byId = new Map(operations.map((entry) => [entry.id, entry.operation]));
    expect(byId.get('GET /api/mobile/channels/{id}/posts').security).toEqual([{}, { bearerAuth: [] }]);
    expect(byId.get('POST /api/admin/channels').security).toEqual([{ bearerAuth: [] }]);
    expect(byId.get('PUT /api/integrations/users/{userId}/entitlements/{key}').description).toContain('role: service');
    expect(byId.get('GET /ready').responses).toHaveProperty('503');
    expect(body.components.securitySchemes.bearerAuth).toMatchObject({
      type: 'http',
      scheme: 'bearer',
      bearerFormat: 'JWT',
    });
  });

  it('When a route takes input or writes, then its error statuses carry the { message, code, details? } body', async () => {
    const { body } = await server.request('GET', '/openapi.json');
    const publish = body.paths['/api/admin/channels/{id}/posts'].post;
    expect(Object.keys(publish.responses).sort()).toEqual(
      ['201', '400', '401', '403', '404', '409', '413', '415', '422', '429', '500', '503'].sort(),
    );
    expect(body.components.responses.Error422.content['application/json'].schema).toEqual({
      $ref: '#/components/schemas/Error',
    });
    expect(body.components.schemas.Error.required).toEqual(['message', 'code']);
    expect(publish.parameters.map((parameter: { name: string }) => parameter.name)).toContain('Idempotency-Key');
  });

  it('When reading the spec examples, then the join and discussion answers are those of the spec', async () => {
    const { body } = await server.request('GET', '/openapi.json');
    const join = body.paths['/api/mobile/channels/{id}/join'].post.responses['200'].content['application/json'];
    expect(join.example.data).toEqual({
      channelId: 3,
      isJoined: true,
      joinedAt: '2026-03-19T12:00:00.000Z',
      leftAt: null,
    });
  });
});
