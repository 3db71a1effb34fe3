/**
 * Suites that need a real server run only when its URL is set; without it they are
 * left out (not skipped), so a green run never pretends a server was tested.
 */
const serverSuites = [
  { env: 'EVENTSTORE_URL', pattern: '/test/eventStore/eventStoreDb\\.int\\.test\\.ts$' },
  { env: 'MONGO_URL', pattern: '/mongo[^/]*\\.int\\.test\\.ts$' },
];

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  testPathIgnorePatterns: [
    '/node_modules/',
    ...serverSuites.filter((suite) => !process.env[suite.env]).map((suite) => suite.pattern),
  ],
  transform: { '^.+\\.ts$': 'ts-jest' },
  testTimeout: 20000,
  setupFilesAfterEnv: ['<rootDir>/test/helpers/contractSetup.ts'],
};
