import { ValidationError } from '../errors';

/** Position in the channel list, ordered by createdAt then id, both descending. */
export type ChannelCursor = { createdAt: string; id: number };

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/;

/** Opaque to clients: base64url of the last listed channel's sort key. */
export const encodeChannelCursor = (cursor: ChannelCursor): string =>
  Buffer.from(JSON.stringify({ createdAt: cursor.createdAt, id: cursor.id })).toString('base64url');

export const decodeChannelCursor = (token: string): ChannelCursor => {
  const invalid = () =>
    new ValidationError('Invalid cursor', [{ path: '/cursor', message: 'is not a cursor this API issued' }]);
  if (!/^[A-Za-z0-9_-]+={0,2}$/.test(token)) throw invalid();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  const candidate = parsed as Partial<ChannelCursor> | null;
  if (
    typeof candidate !== 'object' ||
    candidate === null ||
    typeof candidate.createdAt !== 'string' ||
    !ISO.test(candidate.createdAt) ||
    Number.isNaN(Date.parse(candidate.createdAt)) ||
    typeof candidate.id !== 'number' ||
    !Number.isSafeInteger(candidate.id) ||
    candidate.id < 1
  ) {
    throw invalid();
  }
  return { createdAt: candidate.createdAt, id: candidate.id };
};
