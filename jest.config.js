/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json', diagnostics: false }],
  },
  testTimeout: 60000,
  // Most suites wait on child processes and HTTP rather than compute: two at once fit a 2-core
  // machine (jest's default would run one there) and keep the whole run within a few minutes.
  maxWorkers: 2,
};
