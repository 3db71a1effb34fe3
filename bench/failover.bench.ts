import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServerProcess, type ServerProcess } from '../test/helpers/serverProcess';
import type { BenchDefinition } from './benchTypes';

/**
 * Projector failover: two `ROLES=projector` processes on one DATA_DIR with the default
 * lease timing (TTL 3 s, renewal 1 s, standby poll 0.5 s); the active one is killed with
 * SIGKILL and the time until the standby reports itself active (/ready) is measured, and
 * until its /ready answers 200 (its projections live again). Median of ROUNDS runs.
 */
const ROUNDS = Number(process.env.BENCH_FAILOVER_ROUNDS ?? 3);
const TARGET_MS = 5000;

const startProjector = (dataDir: string): Promise<ServerProcess> =>
  startServerProcess({ NODE_ENV: 'development', DATA_DIR: dataDir, ROLES: 'projector' });

const ready = async (server: ServerProcess) => {
  const response = await fetch(`${server.url}/ready`);
  const body = (await response.json()) as { leases?: { projector?: string } };
  return { status: response.status, projector: body.leases?.projector };
};

const waitFor = async (check: () => Promise<boolean>, timeoutMs = 30_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error('failover bench: timed out');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
};

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

const oneFailover = async (): Promise<{ activeMs: number; readyMs: number }> => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-failover-'));
  const first = await startProjector(dataDir);
  const second = await startProjector(dataDir).catch((error: unknown) => {
    first.child.kill('SIGKILL');
    throw error;
  });
  try {
    await waitFor(
      async () => (await ready(first)).projector === 'active' && (await ready(second)).projector === 'standby',
    );
    // Let the standby settle into its poll rhythm: the kill lands at a random point of it.
    await new Promise((resolve) => setTimeout(resolve, 1000 + Math.random() * 1000));
    const killedAt = performance.now();
    first.child.kill('SIGKILL');
    await waitFor(async () => (await ready(second)).projector === 'active');
    const activeMs = performance.now() - killedAt;
    await waitFor(async () => (await ready(second)).status === 200);
    return { activeMs, readyMs: performance.now() - killedAt };
  } finally {
    first.child.kill('SIGKILL');
    second.child.kill('SIGKILL');
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
};

export const bench: BenchDefinition = {
  name: 'projector failover',
  run: async (progress) => {
    const tick = progress.phase(`projector failover after kill -9 (${ROUNDS} runs)`, ROUNDS);
    const runs: Array<{ activeMs: number; readyMs: number }> = [];
    for (let round = 0; round < ROUNDS; round += 1) {
      runs.push(await oneFailover());
      tick();
    }
    const active = median(runs.map((run) => run.activeMs));
    const readyMs = median(runs.map((run) => run.readyMs));
    const notes = `runs (ms): ${runs.map((run) => Math.round(run.activeMs)).join(', ')}; TTL 3 s, renew 1 s, poll 0.5 s`;
    return [
      {
        name: 'standby active after kill -9 (median)',
        value: active,
        unit: 'ms',
        target: `<= ${TARGET_MS} ms`,
        met: active <= TARGET_MS,
        notes,
      },
      {
        name: 'standby /ready 200 after kill -9 (median)',
        value: readyMs,
        unit: 'ms',
        target: `<= ${TARGET_MS} ms`,
        met: readyMs <= TARGET_MS,
      },
    ];
  },
};
