import type { EventStore } from '../eventStore/eventStore';

/**
 * The position after which every event was recorded at or after `time` (exclusive bound
 * for `readAll({ after })`). Where positions are consecutive (SQLite) the log is bisected
 * on `recordedAt` with one-event reads: O(log head) reads. Elsewhere (EventStoreDB's byte
 * offsets cannot be computed) it scans forwards in pages until the time is reached.
 * Assumes `recordedAt` grows with position (the store stamps it at append); callers still
 * filter on `recordedAt`, so a skewed clock costs accuracy, not data.
 */
export const positionBeforeTime = async (store: EventStore, time: Date): Promise<bigint | undefined> => {
  if (!store.positionsAreDense) return scanForTime(store, time.getTime());
  const head = await store.headPosition();
  if (head === undefined) return undefined;
  const target = time.getTime();
  // Invariant: the last event recorded before `time` lies in [low, high] (low = -1: maybe none).
  let low = -1n;
  let high = head;
  while (high - low > 1n) {
    const middle = low + (high - low) / 2n;
    const [event] = await store.readAll({ after: middle < 0n ? undefined : middle, maxCount: 1 });
    if (!event || Date.parse(event.recordedAt) >= target) high = middle;
    else low = event.position;
  }
  const [last] = await store.readAll({ after: low < 0n ? undefined : low, maxCount: 1 });
  if (last && last.position <= high && Date.parse(last.recordedAt) < target) low = last.position;
  return low < 0n ? undefined : low;
};

const SCAN_PAGE = 1000;

const scanForTime = async (store: EventStore, target: number): Promise<bigint | undefined> => {
  let before: bigint | undefined;
  for (;;) {
    const page = await store.readAll({ after: before, maxCount: SCAN_PAGE });
    for (const event of page) {
      if (Date.parse(event.recordedAt) >= target) return before;
      before = event.position;
    }
    if (page.length < SCAN_PAGE) return before;
  }
};
