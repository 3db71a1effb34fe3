import { createEventStoreDbEventStore } from '../../src/eventStore/eventStoreDb';
import { describeEventStoreContract } from './eventStoreContract';

// Runs only when EVENTSTORE_URL points at a real server (jest.config.js leaves this file out otherwise).
const connectionString = process.env.EVENTSTORE_URL;
if (!connectionString) throw new Error('EVENTSTORE_URL must be set to run the EventStoreDB contract suite');

describeEventStoreContract('EventStoreDB', async () => {
  const handles = [createEventStoreDbEventStore({ connectionString })];
  return {
    store: handles[0],
    // A shared server: other runs and other tests write too, so no global assertions.
    isolated: false,
    reopen: async () => {
      const again = createEventStoreDbEventStore({ connectionString });
      handles.push(again);
      return again;
    },
    dispose: async () => {
      await Promise.all(handles.map((handle) => handle.close().catch(() => undefined)));
    },
  };
});
