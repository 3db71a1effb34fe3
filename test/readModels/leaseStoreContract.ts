import { LeaseLostError } from '../../src/readModels/leases';
import type { ProjectionSpec, ReadModelStore } from '../../src/readModels/readModelStore';
import type { OpenStore } from './readModelStoreContract';

const items: ProjectionSpec = { name: 'items', collections: [{ name: 'items', indexes: [] }] };

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Long enough that a test never sees it run out by accident. */
const TTL = 60_000;
/** Short enough to wait out (the tests wait for it to pass: not a timing assertion). */
const SHORT_TTL = 150;

/** The lease part of the read-model store port, and the fencing of `applyBatch`, run against every adapter. */
export const describeLeaseStoreContract = (adapter: string, openStore: OpenStore): void => {
  describe(`Given the leases of the ${adapter} read-model store`, () => {
    let store: ReadModelStore;
    let dispose: () => Promise<void>;
    let name: string;
    let counter = 0;
    beforeEach(async () => {
      ({ store, dispose } = await openStore([items]));
      counter += 1;
      name = `projector-${counter}`;
    });
    afterEach(() => dispose());

    const putItem = (position: bigint, fence?: { lease: string; token: number }) =>
      store.applyBatch(
        'items',
        1,
        position,
        (writer) => writer.put('items', `${position}`, { at: Number(position) }, position),
        fence,
      );

    it('When a free lease is acquired, then the owner holds it with token 1 until a later expiry', async () => {
      const before = Date.now();
      const lease = await store.leases.acquire(name, 'a', TTL);
      expect(lease).toMatchObject({ name, owner: 'a', token: 1 });
      expect(lease!.expiresAt.getTime()).toBeGreaterThan(before);
      expect(await store.leases.read(name)).toMatchObject({ owner: 'a', token: 1 });
    });

    it('When another owner tries to acquire a held lease, then it gets nothing; the holder acquiring again keeps its token', async () => {
      await store.leases.acquire(name, 'a', TTL);
      expect(await store.leases.acquire(name, 'b', TTL)).toBeUndefined();
      expect(await store.leases.acquire(name, 'a', TTL)).toMatchObject({ owner: 'a', token: 1 });
    });

    it('When the holder renews, then the expiry moves on and the token stays; a renewal with another owner or token fails', async () => {
      const first = await store.leases.acquire(name, 'a', TTL);
      await pause(5);
      const renewed = await store.leases.renew(name, 'a', 1, TTL);
      expect(renewed).toMatchObject({ owner: 'a', token: 1 });
      expect(renewed!.expiresAt.getTime()).toBeGreaterThan(first!.expiresAt.getTime());
      expect(await store.leases.renew(name, 'b', 1, TTL)).toBeUndefined();
      expect(await store.leases.renew(name, 'a', 2, TTL)).toBeUndefined();
    });

    it('When a lease expires, then its holder can no longer renew it and another owner takes it over with the next token', async () => {
      await store.leases.acquire(name, 'a', SHORT_TTL);
      await pause(SHORT_TTL * 2);
      expect(await store.leases.renew(name, 'a', 1, TTL)).toBeUndefined();
      expect(await store.leases.acquire(name, 'b', TTL)).toMatchObject({ owner: 'b', token: 2 });
      expect(await store.leases.acquire(name, 'a', TTL)).toBeUndefined();
    });

    it('When the holder releases its lease, then another owner takes it at once with the next token', async () => {
      await store.leases.acquire(name, 'a', TTL);
      await store.leases.release(name, 'a', 1);
      expect(await store.leases.acquire(name, 'b', TTL)).toMatchObject({ owner: 'b', token: 2 });
    });

    it('When a batch is fenced with the current token, then it commits', async () => {
      const lease = await store.leases.acquire(name, 'a', TTL);
      await putItem(3n, { lease: name, token: lease!.token });
      expect(await store.get('items', '3')).toEqual({ at: 3 });
      expect(await store.readCheckpoint('items', 1)).toBe(3n);
    });

    it('When a deposed holder (its lease taken over by another token) commits a batch, then it is refused inside the transaction and nothing of it is written', async () => {
      await store.leases.acquire(name, 'a', SHORT_TTL);
      await putItem(3n, { lease: name, token: 1 });
      await pause(SHORT_TTL * 2);
      const takeover = await store.leases.acquire(name, 'b', TTL);
      expect(takeover!.token).toBe(2);
      await expect(putItem(5n, { lease: name, token: 1 })).rejects.toBeInstanceOf(LeaseLostError);
      expect(await store.get('items', '5')).toBeUndefined();
      expect(await store.readCheckpoint('items', 1)).toBe(3n);
      // The checkpoint alone (the push trigger's kind of batch) is fenced too.
      await expect(store.applyBatch('items', 1, 6n, async () => undefined, { lease: name, token: 1 })).rejects.toThrow(
        LeaseLostError,
      );
      expect(await store.readCheckpoint('items', 1)).toBe(3n);
      await putItem(5n, { lease: name, token: 2 });
      expect(await store.get('items', '5')).toEqual({ at: 5 });
    });

    it('When the holder lets its lease expire (nobody took it over), then its batches are refused as well', async () => {
      await store.leases.acquire(name, 'a', SHORT_TTL);
      await pause(SHORT_TTL * 2);
      await expect(putItem(4n, { lease: name, token: 1 })).rejects.toBeInstanceOf(LeaseLostError);
      expect(await store.get('items', '4')).toBeUndefined();
    });

    it('When a batch is fenced with a lease that never existed, then it is refused', async () => {
      await expect(putItem(4n, { lease: `${name}-never`, token: 1 })).rejects.toBeInstanceOf(LeaseLostError);
    });
  });
};
