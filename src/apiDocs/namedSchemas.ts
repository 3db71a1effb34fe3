import type { TSchema } from '@sinclair/typebox';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const SCHEMA_MAPS = new Set(['properties', 'patternProperties', '$defs']);
const SCHEMA_LISTS = new Set(['anyOf', 'oneOf', 'allOf', 'prefixItems']);
const SUBSCHEMAS = new Set(['items', 'additionalProperties', 'not', 'if', 'then', 'else', 'contains']);

const isObject = (value: Json): value is JsonObject =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/**
 * Turns contract schemas into document schemas: plain JSON in which every sub-schema
 * with a `title` is moved to the components once and replaced by a `$ref` to
 * `${refBase}${title}`. AJV-only keywords (`jsonBounds`) become `x-` extensions.
 */
export const createSchemaCollector = (refBase: string) => {
  const components: JsonObject = {};

  const body = (schema: JsonObject): JsonObject => {
    const out: JsonObject = {};
    for (const [key, child] of Object.entries(schema)) {
      if (key === 'jsonBounds') out['x-jsonBounds'] = child;
      else if (SCHEMA_MAPS.has(key) && isObject(child))
        out[key] = Object.fromEntries(Object.entries(child).map(([name, sub]) => [name, convert(sub)]));
      else if (SCHEMA_LISTS.has(key) && Array.isArray(child)) out[key] = child.map(convert);
      else if (SUBSCHEMAS.has(key)) out[key] = convert(child);
      else out[key] = child;
    }
    return out;
  };

  const convert = (schema: Json): Json => {
    if (!isObject(schema)) return schema;
    const title = schema.title;
    if (typeof title !== 'string') return body(schema);
    if (!(title in components)) {
      components[title] = {}; // reserved first, so a schema that contains itself ends
      components[title] = body(schema);
    }
    return { $ref: `${refBase}${title}` };
  };

  return {
    /** The document form of `schema`: a `$ref` when it is named, inline otherwise. */
    schemaOf: (schema: TSchema): Json => convert(JSON.parse(JSON.stringify(schema)) as Json),
    /** Inline, even when named (e.g. a query parameter object read property by property). */
    inline: (schema: TSchema): JsonObject => body(JSON.parse(JSON.stringify(schema)) as JsonObject),
    components: (): JsonObject => components,
  };
};
