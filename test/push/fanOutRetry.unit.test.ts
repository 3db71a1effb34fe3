import { createLogger } from '../../src/logger';
import type { JobQueue } from '../../src/push/jobQueue';
import type { PushAudience } from '../../src/push/pushAudience';
import type { FanOutJobData, PushJob, RunningJob } from '../../src/push/pushJobs';
import { runPushJob, type PushJobDeps } from '../../src/push/runPushJob';
import type { ChannelDoc } from '../../src/projections/documents';

const channel = { id: 1, kind: 'BROADCAST', accessPolicy: 'OPEN' } as ChannelDoc;

/** Joined members in userId order, paged like the memberships read model. */
const audienceOf = (members: string[]): PushAudience => ({
  channel: async () => channel,
  kindOf: async () => channel.kind,
  pageJoinedMembers: async (_channelId, after, limit) =>
    members
      .filter((userId) => after === null || userId > after)
      .slice(0, limit)
      .map((userId) => ({ channelId: 1, userId, isJoined: true, joinedAt: null, leftAt: null })),
  selectRecipients: async ({ userIds }) => userIds,
});

/** Like BullMQ: a job whose id is already queued is not added again. */
const dedupingQueue = () => {
  const jobs = new Map<string, PushJob>();
  const queue = {
    enqueue: async (added: PushJob[]) => added.forEach((job) => jobs.has(job.id) || jobs.set(job.id, job)),
  } as JobQueue;
  return { queue, jobs };
};

describe('Given a fan-out in pages of 2 that crashes right after queuing its first page', () => {
  it('When a member of that page leaves before the retry, then the re-read page is a job of its own and nobody is skipped', async () => {
    const members = ['a', 'b', 'c', 'd'];
    const { queue, jobs } = dedupingQueue();
    const deps = { queue, batchSize: 2, logger: createLogger('silent') } as unknown as PushJobDeps;
    const data: FanOutJobData = {
      postId: 7,
      channelId: 1,
      publishedAt: '2030-01-01T00:00:00.000Z',
      position: '1',
      cursor: null,
    };
    const crashing = {
      name: 'fanOut',
      id: 'fanout-7',
      data,
      attempt: 1,
      update: async () => {
        throw new Error('worker killed before saving the cursor');
      },
    } as RunningJob;
    await expect(runPushJob(crashing, { ...deps, audience: audienceOf(members) })).rejects.toThrow('worker killed');

    const afterLeave = members.filter((userId) => userId !== 'a');
    const retry = { ...crashing, attempt: 2, update: async () => undefined } as RunningJob;
    await runPushJob(retry, { ...deps, audience: audienceOf(afterLeave) });

    const paged = [...jobs.values()].flatMap((job) => (job.name === 'deliver' ? job.data.userIds : []));
    expect(new Set(paged)).toEqual(new Set(['a', 'b', 'c', 'd']));
  });
});
