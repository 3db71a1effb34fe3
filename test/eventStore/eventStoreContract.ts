import { describeAppendContract } from './appendContract';
import { describeDurabilityContract } from './durabilityContract';
import type { CreateStore } from './eventStoreFixtures';
import { describeReadContract } from './readContract';
import { describeSubscriptionContract } from './subscriptionContract';

export type { CreateStore, StoreUnderTest } from './eventStoreFixtures';

/**
 * The one contract every event store adapter must satisfy. Each adapter's
 * `*.int.test.ts` calls this with a factory for a real store; stream names are
 * unique per test so the suite also runs against a shared EventStoreDB server.
 */
export const describeEventStoreContract = (name: string, createStore: CreateStore): void => {
  describe(`Given the ${name} event store`, () => {
    describeAppendContract(createStore);
    describeReadContract(createStore);
    describeSubscriptionContract(createStore);
    describeDurabilityContract(createStore);
  });
};
