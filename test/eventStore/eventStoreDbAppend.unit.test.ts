import {
  DeadlineExceededError,
  EventStoreDBClient,
  InvalidArgumentError,
  TimeoutError,
  UnavailableError,
} from '@eventstore/db-client';
import { AppendOutcomeUnknownError } from '../../src/errors';
import { createEventStoreDbEventStore } from '../../src/eventStore/eventStoreDb';
import { newEvent } from './eventStoreFixtures';

/**
 * The EventStoreDB adapter's handling of the client's append failures, on a fake client (the
 * adapter's behaviour as a store is the contract suite's, eventStoreDb.int.test.ts). The
 * client turns gRPC statuses into these classes (db-client/dist/utils/CommandError.js:
 * DEADLINE_EXCEEDED, UNAVAILABLE, and ABORTED for a server-side commit timeout).
 */
describe('Given the EventStoreDB adapter over a client whose append fails', () => {
  let appendFailure: Error;
  beforeEach(() => {
    const fakeClient = {
      appendToStream: async () => {
        throw appendFailure;
      },
      dispose: async () => undefined,
    } as unknown as EventStoreDBClient;
    jest.spyOn(EventStoreDBClient, 'connectionString').mockReturnValue(fakeClient);
  });
  afterEach(() => jest.restoreAllMocks());

  const append = () =>
    createEventStoreDbEventStore({ connectionString: 'esdb://localhost:2113?tls=false' }).appendToStream(
      'channel-1',
      [newEvent()],
      { expectedRevision: 4n },
    );

  it.each([
    ['a deadline passed', () => new DeadlineExceededError({ code: 4, message: '4 DEADLINE_EXCEEDED' } as never)],
    ['the connection dropped', () => new UnavailableError({ code: 14, message: '14 UNAVAILABLE' } as never)],
    ['the server timed the commit out', () => new TimeoutError({ code: 10, message: '10 ABORTED' } as never)],
  ])('When %s, then the append fails as AppendOutcomeUnknownError carrying the client error', async (_, failure) => {
    appendFailure = failure();
    const error = await append().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AppendOutcomeUnknownError);
    expect((error as AppendOutcomeUnknownError).cause).toBe(appendFailure);
    expect((error as AppendOutcomeUnknownError).streamName).toBe('channel-1');
  });

  it('When the client refuses the request itself, then the error is not taken for an unknown outcome', async () => {
    appendFailure = new InvalidArgumentError('bad event');
    await expect(append()).rejects.toBe(appendFailure);
  });
});
