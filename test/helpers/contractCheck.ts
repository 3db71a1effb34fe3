import Ajv, { type ValidateFunction } from 'ajv';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { buildAsyncApiDocument } from '../../src/apiDocs/asyncApiDocument';
import { buildOpenApiDocument } from '../../src/apiDocs/openApiDocument';

/**
 * Contract checks the shared test helpers run on every HTTP response and every socket
 * acknowledgement and server event: each must match its schema in /openapi.json or
 * /asyncapi.json (as the code generates them), so code and documents cannot drift.
 */

type Doc = Record<string, any>;
const pointer = (...parts: string[]) => parts.map((part) => part.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');
const describeErrors = (validate: ValidateFunction) => JSON.stringify(validate.errors?.slice(0, 5), null, 1);

let openApi: { doc: Doc; ajv: Ajv2020; routes: Array<{ template: string; pattern: RegExp }> } | undefined;
const openApiState = () => {
  if (!openApi) {
    const doc = buildOpenApiDocument() as Doc;
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(ajv);
    ajv.addSchema(doc, 'openapi.json');
    const routes = Object.keys(doc.paths).map((template) => ({
      template,
      pattern: new RegExp(`^${template.replace(/\{\w+\}/g, '[^/]+')}$`),
    }));
    openApi = { doc, ajv, routes };
  }
  return openApi;
};
const compiled = new Map<string, ValidateFunction>();
const validatorFor = (ajv: Ajv | Ajv2020, ref: string) => {
  let validate = compiled.get(ref);
  if (!validate) {
    validate = ajv.compile({ $ref: ref });
    compiled.set(ref, validate);
  }
  return validate;
};

/** Throws when the response's status is not documented for its route, or its JSON body breaks the schema. */
export const checkHttpResponse = (method: string, url: string, status: number, body: unknown, contentType: string) => {
  const { doc, ajv, routes } = openApiState();
  const path = url.split('?')[0];
  const route = routes.find((candidate) => candidate.pattern.test(path));
  const operation = route ? doc.paths[route.template][method.toLowerCase()] : undefined;
  const where = `${method} ${url} -> ${status}`;
  let ref: string;
  if (!operation) {
    // Unknown routes answer the generic 404 error body.
    if (status !== 404 && status !== 405) throw new Error(`Contract: ${where} is not documented in /openapi.json`);
    ref = `openapi.json#/${pointer('components', 'responses', 'Error404', 'content', 'application/json', 'schema')}`;
  } else {
    const response = operation.responses[String(status)];
    if (!response) throw new Error(`Contract: ${where}: status ${status} is not documented in /openapi.json`);
    if (!contentType.includes('application/json')) return;
    ref = response.$ref
      ? `openapi.json${response.$ref}/${pointer('content', 'application/json', 'schema')}`
      : `openapi.json#/${pointer('paths', route!.template, method.toLowerCase(), 'responses', String(status), 'content', 'application/json', 'schema')}`;
  }
  const validate = validatorFor(ajv, ref);
  if (!validate(body)) {
    throw new Error(
      `Contract: ${where} body does not match /openapi.json: ${describeErrors(validate)}\n${JSON.stringify(body).slice(0, 800)}`,
    );
  }
};

let asyncApi: { doc: Doc; ajv: Ajv; byName: Map<string, string> } | undefined;
const asyncApiState = () => {
  if (!asyncApi) {
    const doc = buildAsyncApiDocument() as Doc;
    const ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(ajv);
    ajv.addSchema(doc, 'asyncapi.json');
    const byName = new Map<string, string>(
      Object.entries(doc.components.messages as Record<string, { name: string }>).map(([id, message]) => [
        message.name,
        id,
      ]),
    );
    asyncApi = { doc, ajv, byName };
  }
  return asyncApi;
};

const checkMessage = (name: string, payload: unknown, what: string) => {
  const { ajv, byName } = asyncApiState();
  const id = byName.get(name);
  if (!id) throw new Error(`Contract: ${what} "${name}" is not documented in /asyncapi.json`);
  const validate = validatorFor(ajv, `asyncapi.json#/${pointer('components', 'messages', id, 'payload')}`);
  if (!validate(payload)) {
    throw new Error(
      `Contract: ${what} "${name}" does not match /asyncapi.json: ${describeErrors(validate)}\n${JSON.stringify(payload).slice(0, 800)}`,
    );
  }
};

/** A server event (or notice) as received by a client. */
export const checkServerEvent = (event: string, payload: unknown) => checkMessage(event, payload, 'server event');

/** The acknowledgement of a documented client event; events the contract does not know are left alone. */
export const checkAcknowledgement = (event: string, ack: unknown) => {
  if (!asyncApiState().byName.has(event)) return;
  checkMessage(`${event} (ack)`, ack, 'acknowledgement');
};

const unreported: Error[] = [];
/** A violation seen outside any awaited call (a server event nobody waited for); failContractViolations throws it. */
export const reportContractViolation = (error: Error) => {
  unreported.push(error);
};
/** Run after each test (test/helpers/contractSetup.ts): fails the test that received a broken event. */
export const failContractViolations = () => {
  const first = unreported[0];
  unreported.length = 0;
  if (first) throw first;
};
