import type { SubscribeOptions } from '../../src/eventStore/eventStore';
import { createLogger } from '../../src/logger';
import { createPushTrigger } from '../../src/push/pushTrigger';

/**
 * The trigger's start and stop as its lease drives them, around subscriptions that fail.
 * The log, queue and checkpoint are stand-ins: what is under test is only when the trigger
 * subscribes (each subscription it opens is recorded).
 */
const triggerWithRecordedSubscriptions = () => {
  const subscriptions: SubscribeOptions[] = [];
  let checkpointRead: Promise<void> = Promise.resolve();
  const trigger = createPushTrigger({
    eventStore: {
      subscribeToAll: (options: SubscribeOptions) => {
        subscriptions.push(options);
        return { stop: async () => undefined };
      },
    } as never,
    queue: { enqueue: async () => undefined } as never,
    checkpoint: {
      read: async () => {
        await checkpointRead;
        return undefined;
      },
      save: async () => undefined,
    },
    readModels: { waitForPosition: async () => true },
    logger: createLogger('silent'),
    restartDelays: { firstMs: 10, maxMs: 10 },
  });
  return {
    trigger,
    subscriptions,
    holdCheckpointReads: () => {
      let release!: () => void;
      checkpointRead = new Promise<void>((resolve) => (release = resolve));
      return release;
    },
  };
};

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('Given a push trigger whose lease starts and stops it', () => {
  it('When its lease was lost and taken again and then its subscription fails, then it subscribes again', async () => {
    const { trigger, subscriptions } = triggerWithRecordedSubscriptions();
    await trigger.start();
    await trigger.stop();
    await trigger.start();
    subscriptions[1].onError?.(new Error('log read failed'));
    await pause(100);
    expect(subscriptions).toHaveLength(3);
    await trigger.stop();
  });

  it('When it is stopped while a restart is reading its checkpoint, then that restart does not subscribe', async () => {
    const { trigger, subscriptions, holdCheckpointReads } = triggerWithRecordedSubscriptions();
    await trigger.start();
    const release = holdCheckpointReads();
    subscriptions[0].onError?.(new Error('log read failed'));
    await pause(50);
    await trigger.stop();
    release();
    await pause(20);
    expect(subscriptions).toHaveLength(1);
  });
});
