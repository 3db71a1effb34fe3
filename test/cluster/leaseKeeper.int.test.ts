import path from 'node:path';
import { fencedReadModels } from '../../src/cluster/fencedReadModels';
import { createLeaseKeeper, type LeaseKeeper, type LeaseTiming } from '../../src/cluster/leaseKeeper';
import { createLogger } from '../../src/logger';
import { LeaseLostError } from '../../src/readModels/leases';
import type { ReadModelStore } from '../../src/readModels/readModelStore';
import { createSqliteReadModelStore } from '../../src/readModels/sqlite';
import { makeTempDir } from '../helpers/testApp';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const until = async (what: string, check: () => boolean, timeoutMs = 5000) => {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await pause(10);
  }
};

/** A keeper whose work is a log of its activations, as the projector's or the push trigger's would be. */
const keeperOn = (store: ReadModelStore, owner: string, timing: LeaseTiming) => {
  const work: string[] = [];
  const keeper: LeaseKeeper = createLeaseKeeper({
    leases: store.leases,
    name: 'projector',
    owner,
    timing,
    logger: createLogger('silent'),
    activate: async (fence) => {
      work.push(`start ${fence.token}`);
    },
    deactivate: async () => {
      work.push('stop');
    },
  });
  const fenced = fencedReadModels(store, keeper);
  const commit = (position: bigint) =>
    fenced.applyBatch('items', 1, position, (writer) => writer.put('items', `${position}`, { owner }, position));
  return { keeper, work, commit };
};

const FAST: LeaseTiming = { ttlMs: 300, renewMs: 50, pollMs: 20 };

describe('Given two processes keeping the projector lease on one read-model store', () => {
  let store: ReadModelStore;
  const keepers: LeaseKeeper[] = [];
  beforeEach(async () => {
    // One store for both: the lease row is what they share, as two processes share the file.
    store = createSqliteReadModelStore({ path: path.join(makeTempDir('keeper-'), 'readmodels.sqlite') });
    store.register({ name: 'items', collections: [{ name: 'items', indexes: [] }] });
    await store.start();
  });
  afterEach(async () => {
    for (const keeper of keepers.splice(0)) await keeper.stop();
    await store.close();
  });

  it('When both start, then exactly one is active and the other stands by; when the active one stops, the standby takes over with the next token', async () => {
    const a = keeperOn(store, 'a', FAST);
    const b = keeperOn(store, 'b', FAST);
    keepers.push(a.keeper, b.keeper);
    await a.keeper.start();
    await b.keeper.start();
    expect([a.keeper.role(), b.keeper.role()]).toEqual(['active', 'standby']);
    await pause(FAST.ttlMs * 2);
    // Renewed all along: still one holder.
    expect([a.keeper.role(), b.keeper.role()]).toEqual(['active', 'standby']);

    await a.keeper.stop();
    await until('the standby to take over', () => b.keeper.role() === 'active');
    expect(a.work).toEqual(['start 1', 'stop']);
    expect(b.work).toEqual(['start 2']);
    await b.commit(7n);
    expect(await store.get('items', '7')).toEqual({ owner: 'b' });
  });

  it('When the holder stops renewing (a stalled process) and the other takes over, then the deposed holder cannot commit, and it stops its work and stands by', async () => {
    const stalled = keeperOn(store, 'a', { ttlMs: 200, renewMs: 60_000, pollMs: 60_000 });
    const b = keeperOn(store, 'b', FAST);
    keepers.push(stalled.keeper, b.keeper);
    await stalled.keeper.start();
    await b.keeper.start();
    await until('the takeover', () => b.keeper.role() === 'active');

    await expect(stalled.commit(5n)).rejects.toBeInstanceOf(LeaseLostError);
    expect(await store.get('items', '5')).toBeUndefined();
    await until('the deposed holder to stand by', () => stalled.keeper.role() === 'standby');
    expect(stalled.work).toEqual(['start 1', 'stop']);
    await b.commit(5n);
    expect(await store.get('items', '5')).toEqual({ owner: 'b' });
  });

  it('When the holder finds its renewal refused (its lease expired and was taken), then it stops its work and stands by without any write', async () => {
    const late = keeperOn(store, 'a', { ttlMs: 200, renewMs: 400, pollMs: 60_000 });
    const b = keeperOn(store, 'b', FAST);
    keepers.push(late.keeper, b.keeper);
    await late.keeper.start();
    await b.keeper.start();
    await until('the takeover', () => b.keeper.role() === 'active');
    await until('the late renewal to be refused', () => late.keeper.role() === 'standby');
    expect(late.work).toEqual(['start 1', 'stop']);
  });
});
