const nxPreset = require('@nx/jest/preset').default;

// SWC transpiles tests (type-checking is the separate `typecheck` target); decorator
// metadata must be emitted or NestJS dependency injection and class-validator break.
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
      keepClassNames: true,
    },
    module: { type: 'commonjs' },
    sourceMaps: 'inline',
  },
];

module.exports = {
  ...nxPreset,
  testEnvironment: 'node',
  transform: { '^.+\\.[tj]s$': swc },
  moduleFileExtensions: ['ts', 'js', 'json'],
  testMatch: ['**/?(*.)+(spec|int-spec|e2e-spec).ts'],
  testTimeout: 60_000,
  // Class decorators (class-transformer, Nest) read design-time metadata.
  setupFiles: [require.resolve('reflect-metadata')],
  reporters: ['default', require.resolve('./tools/jest/summary-reporter.js')],
};
