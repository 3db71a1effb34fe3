import { ConflictError } from '../../errors';

/**
 * A decider refused a new numeric id that is not above the last id in its stream. Retryable:
 * the caller allocates a fresh id above `lastId` and decides again.
 */
export class IdNotIncreasingError extends ConflictError {
  constructor(
    readonly id: number,
    readonly lastId: number,
  ) {
    super(`Id ${id} is not greater than the stream's last id ${lastId}`, { id, lastId });
  }
}
