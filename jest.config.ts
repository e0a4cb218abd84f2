// ESM all the way: packages are "type": "module" and import execa/yargs (ESM-only), so jest runs with
// --experimental-vm-modules and ts-jest's ESM preset (see README, "Module setup").
import type { Config } from 'jest';

const config: Config = {
  preset: 'ts-jest/presets/default-esm',
  testEnvironment: 'node',
  roots: ['<rootDir>/packages'],
  testMatch: ['**/*.test.ts'],
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: {
    // Tests import sibling packages from source, so a test run never needs a stale dist/.
    '^@shimgate/([a-z-]+)$': '<rootDir>/packages/$1/src/index.ts',
    // ESM source imports say './x.js'; the file on disk is './x.ts'.
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.test.json' }],
  },
  testTimeout: 30_000,
};

export default config;
