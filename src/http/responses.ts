import type { Response } from 'express';

/** Success body in the spec's `{ message, data }` style. */
export const sendData = (res: Response, status: number, message: string, data: unknown): void => {
  res.status(status).json({ message, data });
};

/**
 * Success body of a write: `{ message, data, position }`, where `position` is the global
 * log position of the last appended event, for read-your-writes.
 */
export const sendWritten = (res: Response, status: number, message: string, data: unknown, position: bigint): void => {
  res.status(status).json({ message, data, position: position.toString() });
};
