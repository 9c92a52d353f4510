/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
  // adaptivecards ships an ES module with extensionless imports; its UMD build works in Node.
  // strip-bom 5 (used by @microsoft/app-manifest) is ES-only; jest cannot require it, Node can.
  moduleNameMapper: { '^adaptivecards$': 'adaptivecards/dist/adaptivecards.js', '^strip-bom$': '<rootDir>/test/support/stripBom.ts' },
  globalSetup: '<rootDir>/test/support/globalSetup.ts',
  globalTeardown: '<rootDir>/test/support/globalTeardown.ts',
  testTimeout: 30000,
  // A worker per core: jest's default leaves one core idle, and with two cores that runs the suite
  // one file at a time, with the shared Azurite on the same thread as the tests. Two at once here:
  // 591 s against 797 s in band (1,428 tests, all passing).
  maxWorkers: '100%',
};
