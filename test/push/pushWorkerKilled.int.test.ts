import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createTestClock } from '../helpers/testApp';
import { startPushHarness, uniquePrefix, type PushHarness } from './helpers/pushHarness';
import { pushModes, useRedis } from './helpers/pushModes';

const NOW = '2030-02-01T00:00:00.000Z';
const LONG_AGO = '2029-01-01T00:00:00.000Z';
const members = Array.from({ length: 40 }, (_, index) => `m-${String(index).padStart(3, '0')}`);
const root = path.resolve(__dirname, '../..');

/** Starts the worker process and resolves once it hangs inside the sender on call `pauseAt`. */
const startWorkerUntilPaused = (env: Record<string, string>): Promise<ChildProcess> =>
  new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      // tsx as a loader, not its CLI: the CLI forks, and SIGKILL would only reach the wrapper.
      ['--import', 'tsx', path.join(__dirname, 'fixtures/pushWorkerProcess.ts')],
      { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    child.stderr?.on('data', (chunk) => (stderr += chunk));
    child.stdout?.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('PAUSED')) resolve(child);
    });
    child.once('exit', (code) => reject(new Error(`worker exited (${code}) before pausing: ${stderr}`)));
  });

const killed = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    child.removeAllListeners('exit');
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });

describe.each(pushModes)('Given a push worker process on the %s queue', (mode) => {
  const redis = useRedis();
  let harness: PushHarness;
  let prefix: string;

  beforeEach(async () => {
    prefix = redis.track(uniquePrefix());
    harness = await startPushHarness({
      mode,
      redisUrl: redis.url(),
      now: createTestClock(NOW).now,
      batchSize: 5,
      withPush: false,
      tuning: { prefix },
    });
    await harness.given.channel(1);
    for (const userId of members) await harness.given.joined(userId, 1, LONG_AGO);
  });
  afterEach(() => harness.stop());

  it('When the worker is killed in the middle of its third batch and another starts, then every member gets the post exactly once', async () => {
    const published = await harness.given.published(1, 101, NOW);
    const worker = await startWorkerUntilPaused({
      DATA_DIR: harness.config.dataDir,
      PUSH_BATCH_SIZE: '5',
      PUSH_PREFIX: prefix,
      PAUSE_AT: '3',
      NOW,
      ...(mode === 'bullmq' ? { REDIS_URL: redis.url() } : {}),
    });
    await killed(worker);
    // Sanity: the kill left the fan-out half done (two batches of five recorded).
    await harness.startPush();
    const recordedBeforeRestart = (await harness.push.deliveries.listDeliveries(101)).length;
    await harness.settled(published);

    expect(recordedBeforeRestart).toBeLessThan(members.length);
    expect(await harness.push.deliveries.listDeliveries(101)).toEqual(members.map((userId) => ({ userId, times: 1 })));
  });
});
