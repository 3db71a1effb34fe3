import { InvalidArgumentError } from 'commander';
import { parsePosition } from '../eventStore/eventStore';

export const parseCount = (value: string): number => {
  const count = Number(value);
  if (!Number.isInteger(count) || count < 1) throw new InvalidArgumentError('must be a positive integer');
  return count;
};

export const parsePositionOption = (value: string): bigint => {
  try {
    return parsePosition(value);
  } catch {
    throw new InvalidArgumentError('must be a log position (a non-negative integer)');
  }
};

export const parseTimeOption = (value: string): Date => {
  const time = new Date(value);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(time.getTime())) {
    throw new InvalidArgumentError('must be an ISO-8601 time, e.g. 2024-05-01T12:00:00Z');
  }
  return time;
};

export const parseChannelId = (value: string): number => {
  const id = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(id) || id < 1)
    throw new InvalidArgumentError('must be a channel id (a positive integer)');
  return id;
};

/** `--as-of`: a log position (digits only) or an ISO-8601 time. */
export const parseAsOf = (value: string): { position: bigint } | { time: Date } =>
  /^\d+$/.test(value) ? { position: BigInt(value) } : { time: parseTimeOption(value) };

export const collect = (value: string, previous: string[] = []): string[] => [...previous, value];
