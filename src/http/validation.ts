import Ajv, { type ErrorObject, type JSONSchemaType, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { BadRequestError, ValidationError } from '../errors';

// One compiler for the process: it only caches compiled schemas, it holds no app state.
const ajv = new Ajv({ allErrors: true, useDefaults: true, coerceTypes: false, strict: true });
addFormats(ajv);

export type Schema<T> = JSONSchemaType<T>;

export const compileSchema = <T>(schema: JSONSchemaType<T> | Record<string, unknown>): ValidateFunction<T> =>
  ajv.compile<T>(schema as JSONSchemaType<T>);

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
