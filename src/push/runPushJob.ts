import { createHash } from 'node:crypto';
import type { Logger } from '../logger';
import type { DeliveryLedger } from './deliveryLedger';
import type { JobQueue } from './jobQueue';
import type { PushAudience } from './pushAudience';
import type { DeliveryJobData, FanOutJobData, RunningJob } from './pushJobs';
import type { PushSender } from './pushSender';

export type PushJobDeps = {
  audience: PushAudience;
  queue: JobQueue;
  ledger: DeliveryLedger;
  sender: PushSender;
  batchSize: number;
  now: () => Date;
  logger: Logger;
};

/**
 * Deterministic per page, so a retried fan-out re-adds a page the queue still holds as a
 * no-op. Named by the page's first and last member, not by the cursor alone: a retry that re-reads
 * a page after a member left reaches one member further, and must not be taken for the
 * earlier job (whose page lacks that member). Overlapping pages are fine: the ledger
 * delivers each (post, member) once.
 */
const deliveryJobId = (postId: number, userIds: string[]): string =>
  `deliver-${postId}-${createHash('sha1')
    .update(`${userIds[0]}\u0000${userIds[userIds.length - 1]}`)
    .digest('hex')
    .slice(0, 16)}`;

/** Pages the joined members by userId and queues one delivery job per page, saving the cursor as it goes. */
const fanOut = async (job: RunningJob & { name: 'fanOut' }, deps: PushJobDeps) => {
  const { postId, channelId, publishedAt } = job.data;
  const kind = await deps.audience.kindOf(channelId);
  if (kind !== 'BROADCAST') {
    deps.logger.info({ postId, channelId, kind }, 'no broadcast push: not a broadcast channel');
    return;
  }
  let data: FanOutJobData = job.data;
  for (;;) {
    const page = await deps.audience.pageJoinedMembers(channelId, data.cursor, deps.batchSize);
    if (page.length === 0) return;
    const userIds = page.map((membership) => membership.userId);
    await deps.queue.enqueue([
      { name: 'deliver', id: deliveryJobId(postId, userIds), data: { postId, channelId, publishedAt, userIds } },
    ]);
    data = { ...data, cursor: userIds[userIds.length - 1] };
    await job.update(data);
    if (page.length < deps.batchSize) return;
  }
};

/**
 * Re-checks each member right before sending (a leave or the end of the grace window
 * may have landed since the page was read), claims the pairs, sends, marks them sent.
 */
const deliver = async (jobId: string, data: DeliveryJobData, deps: PushJobDeps) => {
  const channel = await deps.audience.channel(data.channelId);
  if (!channel) return;
  const recipients = await deps.audience.selectRecipients({
    channel,
    userIds: data.userIds,
    publishedAt: data.publishedAt,
    now: deps.now(),
  });
  const claimed = await deps.ledger.claim(data.postId, recipients, jobId);
  if (claimed.length === 0) return;
  try {
    await deps.sender.send({ ...data, userIds: claimed, deliveryId: jobId });
  } catch (error) {
    await deps.ledger.release(data.postId, claimed, jobId);
    throw error;
  }
  await deps.ledger.markSent(data.postId, claimed);
};

/** The one job handler both queue adapters run. */
export const runPushJob = async (job: RunningJob, deps: PushJobDeps): Promise<void> => {
  switch (job.name) {
    case 'fanOut':
      return fanOut(job, deps);
    case 'deliver':
      return deliver(job.id, job.data, deps);
    default: {
      const unexpected: never = job;
      throw new Error(`Unknown push job ${(unexpected as RunningJob).name}`);
    }
  }
};
