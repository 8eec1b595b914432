/** Jest runs the TypeScript sources as ES modules (got is ESM-only), transpiled by ts-jest; `npm run typecheck` does the type checking. */
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true, diagnostics: false }] },
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  testTimeout: 60_000,
  // Files run in an order drawn from the printed seed (--showSeed); --seed=N replays it.
  testSequencer: '<rootDir>/test/random-order-sequencer.mjs',
};
