import { Long, type Document as MongoDocument, type Filter, type Sort } from 'mongodb';
import type { Condition, Query } from './readModelStore';

const FIELD = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Field names are checked here exactly as in the SQLite adapter, so a query is valid in both or neither. */
const fieldName = (field: string): string => {
  if (!FIELD.test(field) || field === '_id' || field === POSITION_FIELD)
    throw new RangeError(`Not a queryable field name: ${field}`);
  return field;
};

/** Every stored document carries the position of the event that last wrote it, under this reserved field. */
export const POSITION_FIELD = '_position';

const compileCondition = (condition: Condition): unknown => {
  if (condition === null || typeof condition !== 'object') return condition;
  const operators: Record<string, unknown> = {};
  if (condition.gt !== undefined) operators.$gt = condition.gt;
  if (condition.gte !== undefined) operators.$gte = condition.gte;
  if (condition.lt !== undefined) operators.$lt = condition.lt;
  if (condition.lte !== undefined) operators.$lte = condition.lte;
  if (condition.in !== undefined) operators.$in = condition.in;
  return operators;
};

/** Translates a port query into a MongoDB filter, sort and limit over top-level document fields. */
export const compileMongoQuery = (
  query: Query,
): { filter: Filter<MongoDocument>; sort: Sort; limit: number | undefined } => {
  const filter: Record<string, unknown> = {};
  for (const [field, condition] of Object.entries(query.where ?? {}))
    filter[fieldName(field)] = compileCondition(condition);
  const sort: Record<string, 1 | -1> = {};
  for (const [field, direction] of query.orderBy ?? []) sort[fieldName(field)] = direction === 'desc' ? -1 : 1;
  const limit = query.limit === undefined ? undefined : Math.max(0, Math.floor(query.limit));
  return { filter: filter, sort, limit };
};

/** The stored form: the document's own fields at the top level (so they can be indexed), plus `_id` and the position. */
export const toStored = (key: string, doc: Record<string, unknown>, position: bigint): MongoDocument => ({
  ...doc,
  _id: key,
  [POSITION_FIELD]: position,
});

export const fromStored = <T>(stored: MongoDocument | null): T | undefined => {
  if (!stored) return undefined;
  const { _id: _key, [POSITION_FIELD]: _position, ...doc } = stored;
  return doc as T;
};

/** Int64 values come back as bigint (useBigInt64), but older data or drivers may hand back Long or number. */
export const toBigInt = (value: unknown): bigint | undefined => {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number') return BigInt(value);
  if (value instanceof Long) return value.toBigInt();
  if (typeof value === 'string') return BigInt(value);
  throw new TypeError(`Not a position: ${typeof value}`);
};
