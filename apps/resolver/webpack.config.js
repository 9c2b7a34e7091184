const { NxAppWebpackPlugin } = require('@nx/webpack/app-plugin');
// Build tooling shared by the apps' bundles, not a library: no project to import it through.
// eslint-disable-next-line @nx/enforce-module-boundaries
const { AsciiOnlyPlugin } = require('../../tools/webpack/ascii-only-plugin');
const { join } = require('path');

module.exports = {
  output: {
    path: join(__dirname, '../../dist/apps/resolver'),
    clean: true,
    ...(process.env.NODE_ENV !== 'production' && {
      devtoolModuleFilenameTemplate: '[absolute-resource-path]',
    }),
  },
  plugins: [
    new AsciiOnlyPlugin(),
    new NxAppWebpackPlugin({
      target: 'node',
      compiler: 'tsc',
      main: './src/main.ts',
      tsConfig: './tsconfig.app.json',
      assets: ['./src/assets'],
      optimization: false,
      outputHashing: 'none',
      generatePackageJson: true,
      sourceMap: true,
    }),
  ],
};
