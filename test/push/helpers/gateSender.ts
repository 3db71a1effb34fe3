import type { PushDelivery, PushSender } from '../../../src/push/pushSender';

/**
 * Wraps a sender so a test can hold the fan-out still: the `pauseAt`-th call and every
 * later one wait until `resume()`. Every call is logged with the userIds it was handed, in call order.
 */
export const createGateSender = (pauseAt: number) => {
  const calls: PushDelivery[] = [];
  let release: () => void = () => {};
  const released = new Promise<void>((resolve) => (release = resolve));
  let signalPaused: () => void = () => {};
  const paused = new Promise<void>((resolve) => (signalPaused = resolve));
  return {
    calls,
    /** Resolves when the fan-out reached the paused call. */
    paused,
    resume: () => release(),
    wrap: (inner: PushSender): PushSender => ({
      send: async (delivery) => {
        calls.push(delivery);
        if (calls.length >= pauseAt) {
          signalPaused();
          await released;
        }
        await inner.send(delivery);
      },
    }),
  };
};
