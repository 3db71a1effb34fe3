import type { Push } from './push';

/** The push of a process without the `push` role: runs nothing, reports nothing queued. */
export const createIdlePush = (): Push => ({
  start: async () => {},
  stop: async () => {},
  deliveries: {
    record: async () => {},
    listDeliveries: async () => [],
    countDeliveries: async () => 0,
  },
  failedJobs: async () => [],
  status: async () => ({ checkpoint: undefined, pendingJobs: 0, failedJobs: 0 }),
});
