import type { Static, TSchema } from '@sinclair/typebox';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { fullFormats } from 'ajv-formats/dist/formats';
import { BadRequestError, ValidationError } from '../errors';
import { jsonBoundsProblem, type JsonBounds } from './jsonBounds';
export { KEY_DESCRIPTION, KEY_PATTERN } from '../contract/common';

// One compiler for the process: it only caches compiled schemas, it holds no app state.
// Nullable fields are `type: [T, 'null']` (JSON Schema 2020-12 / OpenAPI 3.1): union types allowed.
const ajv = new Ajv({ allErrors: true, useDefaults: true, coerceTypes: false, strict: true, allowUnionTypes: true });
addFormats(ajv);
// RFC 3339 allows a leap second (23:59:60), which Date cannot hold: such a time would pass
// validation and then fail as a 500. A date-time must also be a time Date can represent.
const rfc3339DateTime = fullFormats['date-time'] as {
  validate: (value: string) => boolean;
  compare: (a: string, b: string) => number | undefined;
};
ajv.addFormat('date-time', {
  type: 'string',
  validate: (value: string) => rfc3339DateTime.validate(value) && !Number.isNaN(Date.parse(value)),
  compare: rfc3339DateTime.compare,
});

// `jsonBounds: { maxDepth, maxBytes }` on free-form JSON: checked before anything serialises the value.
const checkJsonBounds = (bounds: JsonBounds, data: unknown): boolean => {
  const problem = jsonBoundsProblem(data, bounds);
  checkJsonBounds.errors = problem === null ? [] : [{ keyword: 'jsonBounds', message: problem, params: bounds }];
  return problem === null;
};
checkJsonBounds.errors = [] as Array<Partial<ErrorObject>>;
ajv.addKeyword({ keyword: 'jsonBounds', schemaType: 'object', errors: true, validate: checkJsonBounds });

/** An AJV validator of a contract schema; the validated value has the schema's static type. */
export const compileSchema = <T extends TSchema>(schema: T): ValidateFunction<Static<T>> =>
  ajv.compile<Static<T>>(schema);

const describe = (errors: ErrorObject[] | null | undefined) =>
  (errors ?? []).map((error) => ({
    path: error.instancePath || '/',
    message: error.message ?? 'is invalid',
    ...(error.keyword === 'additionalProperties'
      ? { property: (error.params as { additionalProperty: string }).additionalProperty }
      : {}),
  }));

/** Validates a request body or socket payload; 422 VALIDATION_ERROR with details on failure. */
export const parseWith = <T>(validate: ValidateFunction<T>, value: unknown, what = 'Request body'): T => {
  if (!validate(value)) throw new ValidationError(`${what} is invalid`, describe(validate.errors));
  return value;
};

const ID_PATTERN = /^[1-9]\d{0,15}$/;

/** Path ids are positive integers; anything else is 400 as the spec says. */
export const parseId = (raw: string | undefined, name = 'id'): number => {
  if (raw === undefined || !ID_PATTERN.test(raw) || !Number.isSafeInteger(Number(raw))) {
    throw new BadRequestError(`${name} must be a positive integer`);
  }
  return Number(raw);
};
