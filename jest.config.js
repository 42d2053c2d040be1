/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.(t|j)sx?$': ['@swc/jest', { jsc: { target: 'es2022' } }],
  },
  setupFilesAfterEnv: ['aws-sdk-client-mock-jest'],
  // The machines are 2 shared cores: a local-stack test waits on real sockets and emulators, which take longer
  // than jest's 5 s default when the machine is busy. A hang still fails, after 15 s.
  testTimeout: 15_000,
};
