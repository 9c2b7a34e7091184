const { NxAppWebpackPlugin } = require('@nx/webpack/app-plugin');
// Build tooling shared by the apps' bundles, not a library: no project to import it through.
// eslint-disable-next-line @nx/enforce-module-boundaries
const { AsciiOnlyPlugin } = require('../../tools/webpack/ascii-only-plugin');
const { DefinePlugin } = require('webpack');
const { execFileSync } = require('child_process');
const { readFileSync } = require('fs');
const { join } = require('path');

// Read, not required: the workspace manifest is not a module of this project.
const { version } = JSON.parse(readFileSync(join(__dirname, '../../package.json'), 'utf8'));

// What `docker version` shows for the server: version, commit and build time of this bundle.
function gitCommit() {
  try {
    return execFileSync('git', ['rev-parse', '--short=7', 'HEAD'], {
      cwd: __dirname,
      stdio: ['ignore', 'pipe', 'ignore'],
    })
      .toString()
      .trim();
  } catch {
    return 'unknown';
  }
}

module.exports = {
  output: {
    path: join(__dirname, '../../dist/apps/gateway'),
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
    new DefinePlugin({
      __STEVEDORE_BUILD__: JSON.stringify({
        version,
        gitCommit: gitCommit(),
        buildTime: new Date().toISOString(),
      }),
    }),
  ],
};
