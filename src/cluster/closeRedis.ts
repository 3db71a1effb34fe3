import type IORedis from 'ioredis';

const CLOSE_TIMEOUT_MS = 1000;

export const untilDeadline = async (work: Promise<unknown>, ms: number) => {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([work, new Promise((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
};

/** QUIT when Redis answers; otherwise drop the connection (QUIT would wait for a reconnect). */
export const closeRedis = async (redis: IORedis): Promise<void> => {
  if (redis.status !== 'ready') return redis.disconnect();
  await untilDeadline(
    redis.quit().catch(() => undefined),
    CLOSE_TIMEOUT_MS,
  );
  redis.disconnect();
};
