import type { EventStore, Subscription } from '../eventStore/eventStore';
import type { Logger } from '../logger';
import { createRestarter, type Backoff } from '../retry/backoff';
import { broadcastPushFor, pushTriggerFilter } from './broadcastPushFor';
import { createCheckpointSaver } from './checkpointSaver';
import type { JobQueue } from './jobQueue';
import type { PushCheckpoint } from './pushCheckpoint';
import { PushQueueStoppedError } from './pushErrors';
import { fanOutJobId } from './pushJobs';

const RESTART_BACKOFF: Backoff = { firstMs: 1000, maxMs: 30_000 };
const CHECKPOINT_EVERY_MS = 100;

export type ReadModelProgress = {
  /** Resolves true once the read models have applied `position`, false after `timeoutMs`. */
  waitForPosition: (position: bigint, timeoutMs: number) => Promise<boolean>;
};

/**
 * Follows the log from the stored checkpoint and queues one fan-out job per published
 * post. Before queuing it waits until the read models have applied the post's position,
 * so every join and leave logged before the post is visible to the fan-out. The checkpoint
 * is saved every `checkpointEveryMs` and on stop (`checkpointSaver`), not per event.
 */
export const createPushTrigger = (deps: {
  eventStore: EventStore;
  queue: JobQueue;
  checkpoint: PushCheckpoint;
  readModels: ReadModelProgress;
  logger: Logger;
  /** First and longest delay between restarts; defaults 1 s and 30 s. */
  restartDelays?: Backoff;
  /** How long a position may stay unsaved; defaults to 100 ms. */
  checkpointEveryMs?: number;
}) => {
  let subscription: Subscription | undefined;
  let stopping = false;
  const saver = createCheckpointSaver({
    save: async (position) => {
      await deps.checkpoint.save(position);
      if (!stopping) restarter.reset();
    },
    everyMs: deps.checkpointEveryMs ?? CHECKPOINT_EVERY_MS,
    onError: (error) => restartLater(error),
  });

  const waitForReadModels = async (position: bigint) => {
    while (!(await deps.readModels.waitForPosition(position, 1000))) {
      if (stopping) throw new PushQueueStoppedError(`fanout at ${position}`);
      deps.logger.warn({ position: position.toString() }, 'push waits for read models to reach a post');
    }
  };

  // Moves on every start and stop: a restart still reading its checkpoint when the trigger
  // stopped (its lease lost) must not subscribe after it.
  let generation = 0;

  const open = async () => {
    const opened = generation;
    const after = await deps.checkpoint.read();
    if (opened !== generation) return;
    subscription = deps.eventStore.subscribeToAll({
      after,
      filter: pushTriggerFilter,
      onEvent: async (event) => {
        const fanOut = broadcastPushFor(event);
        if (fanOut) {
          await waitForReadModels(event.position);
          await deps.queue.enqueue([{ name: 'fanOut', id: fanOutJobId(fanOut.postId), data: fanOut }]);
        }
        saver.passed(event.position);
      },
      onError: restartLater,
    });
  };

  // Until it starts again (the checkpoint store may be down for a while), with growing delays.
  const restarter = createRestarter({
    backoff: deps.restartDelays ?? RESTART_BACKOFF,
    start: async () => {
      if (!stopping) await open();
    },
    onRestartScheduled: (error, delayMs) =>
      deps.logger.error({ err: error, retryInMs: delayMs }, 'push trigger failed; restarting from its checkpoint'),
  });

  const restartLater = (error: unknown) => {
    if (stopping) return;
    const failed = subscription;
    subscription = undefined;
    saver.cancel();
    void failed?.stop().catch(() => undefined);
    restarter.schedule(error);
  };

  /** Starts following the log (the lease was taken): again after a stop, with a fresh restarter. */
  const start = async () => {
    stopping = false;
    generation += 1;
    restarter.reset();
    await open();
  };

  const stop = async () => {
    stopping = true;
    generation += 1;
    restarter.cancel();
    await subscription?.stop();
    subscription = undefined;
    // Everything passed is durably queued: saving it spares the next start (or the standby) queuing it again.
    await saver.flush().catch((error: unknown) => {
      deps.logger.warn(
        { err: error },
        'push trigger could not save its checkpoint on stop; the next start queues the tail again',
      );
    });
  };

  return { start, stop };
};
