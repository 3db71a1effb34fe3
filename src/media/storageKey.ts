/**
 * An attachment's `storageKey` is a relative path under the media base URL. Refused: absolute
 * keys (a leading `/`, a scheme or drive such as `https:` or `C:`), `.` and `..` segments, empty
 * segments, backslashes, whitespace and control characters. As a JSON-schema pattern (AJV
 * compiles patterns with the `u` flag), so the schema that documents the API also enforces it.
 */
export const STORAGE_KEY_PATTERN = String.raw`^(?!/)(?![A-Za-z][A-Za-z0-9+.\-]*:)(?!.*//)(?!.*/$)(?!(?:.*/)?\.{1,2}(?:/|$))[^\\\s\x00-\x1F\x7F]+$`;

export const STORAGE_KEY_DESCRIPTION =
  'a relative path: no leading "/", scheme, "." or ".." segment, empty segment, backslash, whitespace or control character';

const storageKeyRegExp = new RegExp(STORAGE_KEY_PATTERN, 'u');

export const isSafeStorageKey = (key: string): boolean => storageKeyRegExp.test(key);
