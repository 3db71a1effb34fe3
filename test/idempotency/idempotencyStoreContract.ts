import { v7 as uuidv7 } from 'uuid';
import type { ClaimRequest, IdempotencyId, IdempotencyStore } from '../../src/idempotency/idempotencyStore';

export type StoreFactory = () => Promise<{ store: IdempotencyStore; dispose: () => Promise<void> }>;

const HOUR = 60 * 60 * 1000;
const t0 = new Date('2026-12-01T12:00:00Z');
const at = (ms: number) => new Date(t0.getTime() + ms);
const request = (overrides: Partial<ClaimRequest> = {}): ClaimRequest => ({
  fingerprint: 'fingerprint-a',
  now: t0,
  lockMs: 60_000,
  ttlMs: 24 * HOUR,
  ...overrides,
});
const freshId = (): IdempotencyId => ({ scope: `user:${uuidv7()}`, key: uuidv7() });
const answer = { status: 201, body: { message: 'Created', data: { id: '7', $weird: { 'a.b': 1 } }, position: '12' } };

/** One specification for every idempotency-store adapter: `open` gives a second handle on the same database. */
export const describeIdempotencyStoreContract = (name: string, open: StoreFactory): void => {
  describe(`Given the ${name} idempotency store`, () => {
    let store: IdempotencyStore;
    let dispose: () => Promise<void>;
    beforeAll(async () => ({ store, dispose } = await open()));
    afterAll(() => dispose());

    const claimed = async (id: IdempotencyId, overrides: Partial<ClaimRequest> = {}) => {
      const outcome = await store.claim(id, request(overrides));
      if (outcome.outcome !== 'claimed') throw new Error(`expected a claim, got ${outcome.outcome}`);
      return outcome.token;
    };

    it('When a key is claimed for the first time, then the caller holds it', async () => {
      expect(await store.claim(freshId(), request())).toMatchObject({ outcome: 'claimed', token: expect.any(String) });
    });

    it('When the same request comes again while the first is unanswered, then it is in flight', async () => {
      const id = freshId();
      await claimed(id);
      expect(await store.claim(id, request({ now: at(1000) }))).toEqual({ outcome: 'inFlight' });
    });

    it('When the first request was answered, then a retry gets the stored status and body back exactly', async () => {
      const id = freshId();
      await store.complete(id, await claimed(id), answer);
      expect(await store.claim(id, request({ now: at(23 * HOUR) }))).toEqual({ outcome: 'replay', answer });
    });

    it('When the key comes with a different request, then it is a mismatch, answered or not', async () => {
      const answered = freshId();
      await store.complete(answered, await claimed(answered), answer);
      const pending = freshId();
      await claimed(pending);
      for (const id of [answered, pending]) {
        expect(await store.claim(id, request({ fingerprint: 'fingerprint-b' }))).toEqual({ outcome: 'mismatch' });
      }
    });

    it('When the same key is used by another principal, then it is a separate record', async () => {
      const id = freshId();
      await store.complete(id, await claimed(id), answer);
      expect(await store.claim({ ...id, scope: `${id.scope}-other` }, request())).toMatchObject({
        outcome: 'claimed',
      });
    });

    it('When 24 hours have passed, then the record is gone and the key can be claimed again', async () => {
      const id = freshId();
      await store.complete(id, await claimed(id), answer);
      expect(await store.claim(id, request({ now: at(24 * HOUR), fingerprint: 'other' }))).toMatchObject({
        outcome: 'claimed',
      });
    });

    it('When an unanswered claim outlives its lock, then another request takes it over and the stale holder cannot complete', async () => {
      const id = freshId();
      const stale = await claimed(id);
      const fresh = await claimed(id, { now: at(61_000) });
      await store.complete(id, stale, { status: 200, body: 'stale' });
      expect(await store.claim(id, request({ now: at(62_000) }))).toEqual({ outcome: 'inFlight' });
      await store.complete(id, fresh, answer);
      expect(await store.claim(id, request({ now: at(63_000) }))).toEqual({ outcome: 'replay', answer });
    });

    it('When a claim is released, then the next request claims the key anew; a released answered record stays', async () => {
      const id = freshId();
      await store.release(id, await claimed(id));
      const token = await claimed(id, { now: at(1) });
      await store.complete(id, token, answer);
      await store.release(id, token);
      expect(await store.claim(id, request({ now: at(2) }))).toEqual({ outcome: 'replay', answer });
    });

    it('When many requests race for one key, then exactly one claims it', async () => {
      const id = freshId();
      const outcomes = await Promise.all(Array.from({ length: 20 }, () => store.claim(id, request())));
      expect(outcomes.filter((outcome) => outcome.outcome === 'claimed')).toHaveLength(1);
      expect(outcomes.filter((outcome) => outcome.outcome === 'inFlight')).toHaveLength(19);
    });

    it('When the store is reopened, then answered records are still there', async () => {
      const id = freshId();
      await store.complete(id, await claimed(id), answer);
      const second = await open();
      try {
        expect(await second.store.claim(id, request({ now: at(1000) }))).toEqual({ outcome: 'replay', answer });
      } finally {
        await second.dispose();
      }
    });
  });
};
