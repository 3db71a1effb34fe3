import type { ReadAllOptions, RecordedEvent } from '../../src/eventStore/eventStore';
import { createPollingSubscription } from '../../src/eventStore/pollingSubscription';

const event = (position: number): RecordedEvent => ({
  id: `event-${position}`,
  type: 'Noticed',
  data: {},
  metadata: { actor: { type: 'system', id: 's' }, correlationId: 'c', causationId: 'c' },
  streamName: 'notice-1',
  revision: BigInt(position - 1),
  position: BigInt(position),
  recordedAt: '2026-03-16T10:00:00.000Z',
});

/** A log held in memory, and the commit notices of "this process" delivered by hand. */
const logWithNotices = () => {
  const log: RecordedEvent[] = [];
  const reads: Array<bigint | undefined> = [];
  let notify: (events: RecordedEvent[]) => void = () => undefined;
  return {
    reads,
    commitHere: (...positions: number[]) => {
      const events = positions.map(event);
      log.push(...events);
      notify(events);
    },
    commitElsewhere: (...positions: number[]) => log.push(...positions.map(event)),
    /** The notice of events already in the log (this process's commit, seen in the file first). */
    noticeOf: (...positions: number[]) => notify(positions.map((position) => log[position - 1])),
    /** What the change watch tells of another connection's commit: a notice with no events. */
    changeElsewhere: () => notify([]),
    options: {
      readAll: async (options: ReadAllOptions) => {
        reads.push(options.after);
        return log.filter((recorded) => recorded.position > (options.after ?? 0n));
      },
      onCommitted: (listener: (events: RecordedEvent[]) => void) => {
        notify = listener;
        return () => undefined;
      },
      // Far longer than the test: only a notice can wake the subscription.
      pollIntervalMs: 60_000,
    },
  };
};

const until = async (predicate: () => boolean) => {
  for (let waited = 0; !predicate(); waited += 5) {
    if (waited > 2000) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
};

/** A subscription from the start of an empty log, once its first read of the log came back. */
const liveSubscription = async () => {
  const log = logWithNotices();
  const delivered: bigint[] = [];
  const subscription = createPollingSubscription({
    ...log.options,
    onEvent: (recorded) => void delivered.push(recorded.position),
  });
  await until(() => log.reads.length === 1);
  return { log, delivered, subscription };
};

describe('Given a live subscription to a log with dense positions', () => {
  it('When this process commits right after the delivered position, then the events are delivered from the commit notice without reading the log', async () => {
    const { log, delivered, subscription } = await liveSubscription();
    log.commitHere(1, 2);
    log.commitHere(3);
    await until(() => delivered.length === 3);
    expect(delivered).toEqual([1n, 2n, 3n]);
    expect(log.reads).toEqual([undefined]);
    await subscription.stop();
  });

  it('When another process committed in between, then the gap sends it to the log: nothing is skipped or repeated', async () => {
    const { log, delivered, subscription } = await liveSubscription();
    log.commitHere(1);
    await until(() => delivered.length === 1);
    log.commitElsewhere(2);
    log.commitHere(3);
    await until(() => delivered.length === 3);
    expect(delivered).toEqual([1n, 2n, 3n]);
    expect(log.reads).toEqual([undefined, 1n]);
    await subscription.stop();
  });

  it('When the log already gave it a commit whose notice arrives afterwards, then that notice does not send it to the log again', async () => {
    const { log, delivered, subscription } = await liveSubscription();
    log.commitElsewhere(1);
    log.changeElsewhere();
    await until(() => delivered.length === 1);
    log.noticeOf(1);
    // Time to act on that notice alone, before the next one joins it.
    await new Promise((resolve) => setTimeout(resolve, 20));
    log.commitHere(2);
    await until(() => delivered.length === 2);
    expect(delivered).toEqual([1n, 2n]);
    expect(log.reads).toEqual([undefined, undefined]);
    await subscription.stop();
  });
});
