import baseConfig from '../../eslint.config.mjs';

// This app is test code through and through (its support/ helpers drive the testbed), so every
// file gets the boundary rule that test files get: the testing library is allowed.
const testRule = baseConfig.findLast(
  (entry) => entry.rules?.['@nx/enforce-module-boundaries'],
)?.rules;

export default [
  ...baseConfig,
  {
    files: ['**/*.ts'],
    rules: { '@nx/enforce-module-boundaries': testRule['@nx/enforce-module-boundaries'] },
  },
];
