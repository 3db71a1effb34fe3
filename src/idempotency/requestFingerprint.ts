import { createHash } from 'node:crypto';

/** JSON with object keys sorted, so a retry that serialises its body differently still matches. */
const canonicalJson = (value: unknown): string => {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
};

/** What makes two requests "the same" for one idempotency key: method, path (with query) and JSON body. */
export const fingerprintRequest = (method: string, url: string, body: unknown): string =>
  createHash('sha256')
    .update(`${method.toUpperCase()} ${url}\n${canonicalJson(body ?? null)}`)
    .digest('base64url');

const KEY = /^[\x21-\x7e]{1,255}$/;

/**
 * The header's key, or undefined when absent. The IETF draft sends it as a structured-field
 * string (`"abc"`), Stripe bare (`abc`): both are accepted. Returns null when malformed.
 */
export const parseIdempotencyKey = (header: string | undefined): string | undefined | null => {
  if (header === undefined) return undefined;
  const trimmed = header.trim();
  const unquoted = /^"[^"\\]*"$/.test(trimmed) ? trimmed.slice(1, -1) : trimmed;
  return KEY.test(unquoted) ? unquoted : null;
};
