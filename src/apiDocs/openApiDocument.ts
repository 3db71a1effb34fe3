import { ErrorBody, KEY_PATTERN } from '../contract';
import { errorStatusesOf, httpOperations, type Access, type HttpOperation } from './httpOperations';
import { createSchemaCollector, type Json } from './namedSchemas';

const STATUS_TEXT: Record<number, string> = {
  200: 'OK',
  201: 'Created',
  400: 'BAD_REQUEST: a path id or key that is malformed',
  401: 'UNAUTHORIZED: missing, invalid or expired bearer token',
  403: 'FORBIDDEN: wrong role, or no access (`details.reason` says why)',
  404: 'NOT_FOUND',
  409: 'CONFLICT: the command contradicts the current state, or the same Idempotency-Key is still in flight',
  413: 'PAYLOAD_TOO_LARGE: a body over 256 KB',
  415: 'UNSUPPORTED_MEDIA_TYPE: a charset or content encoding the JSON parser cannot read',
  422: 'VALIDATION_ERROR: body, query or cursor invalid (`details` lists each problem), or an Idempotency-Key reused for another request',
  429: 'RATE_LIMITED: slow mode or a request budget (`Retry-After` header, `details.retryAfterSeconds`)',
  500: 'INTERNAL_ERROR',
  503: 'SERVICE_UNAVAILABLE: a store is not reachable, or the write lost the race for its stream to other writers at every attempt (`Retry-After: 1`, details.retryAfterSeconds; nothing was written); retry with the same Idempotency-Key',
};

const SECURITY: Record<Access, Json> = {
  public: [],
  // An empty requirement makes the token optional.
  optional: [{}, { bearerAuth: [] }],
  user: [{ bearerAuth: [] }],
  admin: [{ bearerAuth: [] }],
  service: [{ bearerAuth: [] }],
  ops: [{ opsToken: [] }, { bearerAuth: [] }],
};
const ROLE_NOTE: Record<Access, string> = {
  public: '',
  optional:
    'JWT optional (any role); gated channels need a user token with the entitlement. A token that does not verify ' +
    'is ignored (answered as anonymous, with an `X-Token-Ignored` header saying why), never a 401.',
  user: 'Requires a JWT with `role: user`.',
  admin: 'Requires a JWT with `role: admin`.',
  service: 'Requires a JWT with `role: service` (the subscription system).',
  ops: 'Requires `Authorization: Bearer <OPS_TOKEN>` or a JWT with `role: admin`.',
};

const pathParameter = (name: string): Json =>
  name === 'id' || name === 'postId'
    ? { name, in: 'path', required: true, schema: { type: 'integer', minimum: 1, maximum: Number.MAX_SAFE_INTEGER } }
    : { name, in: 'path', required: true, schema: { type: 'string', pattern: KEY_PATTERN.source } };

const IDEMPOTENCY_KEY: Json = {
  name: 'Idempotency-Key',
  in: 'header',
  required: false,
  description:
    'Retry-safe writes: a retry with the same key by the same caller within 24 h returns the first answer ' +
    '(`Idempotent-Replayed: true`) and appends nothing; the same key with another request is 422.',
  schema: { type: 'string', minLength: 1, maxLength: 255 },
};

const jsonContent = (schema: Json, example?: unknown): Json => ({
  'application/json': { schema, ...(example === undefined ? {} : { example: example as Json }) },
});

/** The OpenAPI 3.1 document of every HTTP route, built from the contract schemas. */
export const buildOpenApiDocument = (): Json => {
  const schemas = createSchemaCollector('#/components/schemas/');
  const errorBody = schemas.schemaOf(ErrorBody);
  const errorResponses: Record<string, Json> = {};

  const responsesOf = (operation: HttpOperation): Json => {
    const responses: Record<string, Json> = {};
    for (const [status, body] of Object.entries(operation.responses)) {
      const description = STATUS_TEXT[Number(status)] ?? 'Not ready';
      if (body === 'text')
        responses[status] = { description, content: { 'text/plain': { schema: { type: 'string' } } } };
      else if (body === 'html')
        responses[status] = { description, content: { 'text/html': { schema: { type: 'string' } } } };
      else if (body === 'json') responses[status] = { description, content: jsonContent({ type: 'object' }) };
      else
        responses[status] = { description, content: jsonContent(schemas.schemaOf(body), operation.examples?.response) };
    }
    for (const status of errorStatusesOf(operation)) {
      responses[String(status)] = { $ref: `#/components/responses/Error${status}` };
      errorResponses[`Error${status}`] = { description: STATUS_TEXT[status], content: jsonContent(errorBody) };
    }
    return responses;
  };

  const operationOf = (operation: HttpOperation): Json => {
    const pathNames = [...operation.path.matchAll(/\{(\w+)\}/g)].map((match) => match[1]);
    const query = operation.query ? schemas.inline(operation.query) : undefined;
    const queryProperties = (query?.properties ?? {}) as Record<string, Json>;
    const parameters: Json[] = [
      ...pathNames.map(pathParameter),
      ...Object.entries(queryProperties).map(([name, schema]): Json => ({
        name,
        in: 'query',
        required: false,
        schema,
      })),
      ...(operation.method === 'get' || operation.tag === 'Operations' ? [] : [IDEMPOTENCY_KEY]),
    ];
    return {
      operationId: `${operation.method}${operation.path.replace(/[{}]/g, '').replace(/(^|[/_.-])(\w)/g, (_m, _s, c: string) => c.toUpperCase())}`,
      tags: [operation.tag],
      summary: operation.summary,
      ...(ROLE_NOTE[operation.access] ? { description: ROLE_NOTE[operation.access] } : {}),
      security: SECURITY[operation.access],
      ...(parameters.length > 0 ? { parameters } : {}),
      ...(operation.body
        ? {
            requestBody: {
              required: !operation.bodyOptional,
              content: jsonContent(schemas.schemaOf(operation.body), operation.examples?.request),
            },
          }
        : {}),
      responses: responsesOf(operation),
    };
  };

  const paths: Record<string, Record<string, Json>> = {};
  for (const operation of httpOperations) {
    paths[operation.path] = { ...paths[operation.path], [operation.method]: operationOf(operation) };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Communication backend',
      version: '1.0.0',
      description:
        'Channels, posts, discussions, moderation, entitlements. Contract: docs/spec/communication-mobile-api.txt. ' +
        'Every success body is `{ message, data }` (writes add `position`); every error is `{ message, code, details? }`. ' +
        'Realtime (Socket.io): /asyncapi.json.',
    },
    tags: [
      { name: 'Mobile', description: 'The mobile app (spec routes)' },
      { name: 'Admin', description: 'Back office: channels, posts, discussions, moderation' },
      { name: 'Integrations', description: 'The subscription system: entitlements and features' },
      { name: 'Operations', description: 'Health, readiness, metrics, documents' },
    ],
    paths,
    components: {
      schemas: schemas.components(),
      responses: errorResponses,
      securitySchemes: {
        opsToken: {
          type: 'http',
          scheme: 'bearer',
          description: 'The OPS_TOKEN secret (what a Prometheus scraper sends).',
        },
        bearerAuth: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description: 'HS256 (or the configured algorithm) with `sub` and `role` (user, admin or service) and `exp`.',
        },
      },
    },
  };
};
