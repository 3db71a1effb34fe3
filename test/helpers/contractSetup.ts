import { failContractViolations } from './contractCheck';

// Jest setup (setupFilesAfterEnv): a server event that broke /asyncapi.json fails the test that received it.
afterEach(() => {
  failContractViolations();
});
