import type { EventStore, Subscription } from '../eventStore/eventStore';
import type { Logger } from '../logger';
import { broadcastPushFor, pushTriggerFilter } from './broadcastPushFor';
import type { JobQueue } from './jobQueue';
import type { PushCheckpoint } from './pushCheckpoint';
import { PushQueueStoppedError } from './pushErrors';
import { fanOutJobId } from './pushJobs';

const RESTART_DELAY_MS = 1000;

export type ReadModelProgress = {
  /** Resolves true once the read models have applied `position`, false after `timeoutMs`. */
  waitForPosition: (position: bigint, timeoutMs: number) => Promise<boolean>;
};

/**
 * Follows the log from the stored checkpoint and queues one fan-out job per published
 * post. Before queuing it waits until the read models have applied the post's position,
 * so every join and leave logged before the post is visible to the fan-out.
 */
export const createPushTrigger = (deps: {
  eventStore: EventStore;
  queue: JobQueue;
  checkpoint: PushCheckpoint;
  readModels: ReadModelProgress;
  logger: Logger;
}) => {
  let subscription: Subscription | undefined;
  let stopping = false;
  let restartTimer: NodeJS.Timeout | undefined;

  const waitForReadModels = async (position: bigint) => {
    while (!(await deps.readModels.waitForPosition(position, 1000))) {
      if (stopping) throw new PushQueueStoppedError(`fanout at ${position}`);
      deps.logger.warn({ position: position.toString() }, 'push waits for read models to reach a post');
    }
  };

  const start = async () => {
    stopping = false;
    subscription = deps.eventStore.subscribeToAll({
      after: await deps.checkpoint.read(),
      filter: pushTriggerFilter,
      onEvent: async (event) => {
        const fanOut = broadcastPushFor(event);
        if (fanOut) {
          await waitForReadModels(event.position);
          await deps.queue.enqueue([{ name: 'fanOut', id: fanOutJobId(fanOut.postId), data: fanOut }]);
        }
        await deps.checkpoint.save(event.position);
      },
      onError: (error) => {
        if (stopping) return;
        deps.logger.error({ err: error }, 'push trigger failed; restarting from its checkpoint');
        restartTimer = setTimeout(() => void start().catch(() => undefined), RESTART_DELAY_MS);
      },
    });
  };

  const stop = async () => {
    stopping = true;
    clearTimeout(restartTimer);
    await subscription?.stop();
    subscription = undefined;
  };

  return { start, stop };
};
