import { createLogger } from '../../src/logger';
import { collections } from '../../src/projections/documents';
import type { JobQueue } from '../../src/push/jobQueue';
import { createPushAudience } from '../../src/push/pushAudience';
import type { PushJob, RunningJob } from '../../src/push/pushJobs';
import { runPushJob, type PushJobDeps } from '../../src/push/runPushJob';
import type { ReadModelStore } from '../../src/readModels/readModelStore';
import { createTestClock } from '../helpers/testApp';
import { startPushHarness, type PushHarness } from './helpers/pushHarness';

const NOW = '2030-02-01T00:00:00.000Z';
const LONG_AGO = '2029-01-01T00:00:00.000Z';

const fanOutJob = (postId: number, channelId: number): RunningJob => ({
  name: 'fanOut',
  id: `fanout-${postId}`,
  data: { postId, channelId, publishedAt: NOW, position: '1', cursor: null },
  attempt: 1,
  update: async () => undefined,
});

describe('Given the fan-out reading its audience from the read models', () => {
  const clock = createTestClock(NOW);
  let harness: PushHarness;
  let channelReads: number;
  let queued: PushJob[];
  let deps: PushJobDeps;

  beforeEach(async () => {
    harness = await startPushHarness({ mode: 'in-process', now: clock.now, withPush: false });
    const readModels = harness.readModels;
    const counting: ReadModelStore = {
      ...readModels,
      get: (collection, key) => {
        if (collection === collections.channels) channelReads += 1;
        return readModels.get(collection, key);
      },
    };
    channelReads = 0;
    queued = [];
    const queue = { enqueue: async (jobs: PushJob[]) => void queued.push(...jobs) } as JobQueue;
    deps = {
      audience: createPushAudience(counting),
      queue,
      batchSize: 5,
      logger: createLogger('silent'),
    } as PushJobDeps;
    await harness.given.channel(1);
    await harness.given.channel(2, { kind: 'GROUP' });
    for (const channelId of [1, 2]) await harness.given.joined('member-1', channelId, LONG_AGO);
  });
  afterEach(() => harness.stop());

  it('When several posts of one broadcast channel fan out, then the channel is read once and every post pages its members', async () => {
    for (const postId of [101, 102, 103]) await runPushJob(fanOutJob(postId, 1), deps);

    expect(channelReads).toBe(1);
    expect(queued.map((job) => [job.name, job.data.postId, job.name === 'deliver' && job.data.userIds])).toEqual([
      ['deliver', 101, ['member-1']],
      ['deliver', 102, ['member-1']],
      ['deliver', 103, ['member-1']],
    ]);
  });

  it('When posts of a group channel fan out, then the channel is read once and nobody is paged', async () => {
    for (const postId of [201, 202]) await runPushJob(fanOutJob(postId, 2), deps);

    expect(channelReads).toBe(1);
    expect(queued).toEqual([]);
  });
});
