import type { Condition, Query, Scalar } from './readModelStore';

const FIELD = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Indexed fields are copied into real columns on write, so inserts and queries need no JSON parsing in SQLite. */
export const columnName = (field: string): string => {
  if (!FIELD.test(field)) throw new RangeError(`Not a queryable field name: ${field}`);
  return `"f_${field}"`;
};

export const fieldExpression = (field: string, columns?: ReadonlySet<string>): string => {
  if (!FIELD.test(field)) throw new RangeError(`Not a queryable field name: ${field}`);
  return columns?.has(field) ? columnName(field) : `json_extract(doc, '$.${field}')`;
};

/** The column value of a document field: what json_extract would return for it. */
export const columnValue = (value: unknown): string | number | bigint | null => {
  if (value === undefined || value === null) return null;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'number' || typeof value === 'string' || typeof value === 'bigint') return value;
  return JSON.stringify(value);
};

const bindable = (value: Scalar): string | number | null => (typeof value === 'boolean' ? (value ? 1 : 0) : value);

const compileCondition = (
  field: string,
  condition: Condition,
  params: unknown[],
  columns?: ReadonlySet<string>,
): string[] => {
  const expression = fieldExpression(field, columns);
  if (condition === null) return [`${expression} IS NULL`];
  if (typeof condition !== 'object') {
    params.push(bindable(condition));
    return [`${expression} = ?`];
  }
  const clauses: string[] = [];
  const ranges: Array<[keyof typeof condition, string]> = [
    ['gt', '>'],
    ['gte', '>='],
    ['lt', '<'],
    ['lte', '<='],
  ];
  for (const [key, operator] of ranges) {
    const value = condition[key] as Scalar | undefined;
    if (value === undefined) continue;
    params.push(bindable(value));
    clauses.push(`${expression} ${operator} ?`);
  }
  if (condition.in !== undefined) {
    if (condition.in.length === 0) return ['0'];
    params.push(...condition.in.map(bindable));
    clauses.push(`${expression} IN (${condition.in.map(() => '?').join(', ')})`);
  }
  return clauses;
};

/** Translates a port query into SQL over a collection table `(key, doc, position)`. */
export const compileQuery = (
  table: string,
  query: Query,
  columns?: ReadonlySet<string>,
): { sql: string; params: unknown[] } => {
  const params: unknown[] = [];
  const clauses = Object.entries(query.where ?? {}).flatMap(([field, condition]) =>
    compileCondition(field, condition, params, columns),
  );
  const where = clauses.length > 0 ? ` WHERE ${clauses.join(' AND ')}` : '';
  const orderBy =
    query.orderBy && query.orderBy.length > 0
      ? ` ORDER BY ${query.orderBy.map(([field, direction]) => `${fieldExpression(field, columns)} ${direction === 'desc' ? 'DESC' : 'ASC'}`).join(', ')}`
      : '';
  const limit = query.limit !== undefined ? ` LIMIT ${Math.max(0, Math.floor(query.limit))}` : '';
  return { sql: `SELECT doc FROM "${table}"${where}${orderBy}${limit}`, params };
};
