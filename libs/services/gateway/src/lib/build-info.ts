/** BuildInfo describes the running build, as `docker version` shows it for the server. */
export interface BuildInfo {
  readonly version: string;
  readonly gitCommit: string;
  readonly buildTime: string;
}

// Injected by webpack's DefinePlugin (see webpack.config.js); absent when run from source in tests.
declare const __STEVEDORE_BUILD__: BuildInfo | undefined;

/** BUILD_INFO is this build's version, commit and time, or development placeholders when unbundled. */
export const BUILD_INFO: BuildInfo =
  typeof __STEVEDORE_BUILD__ === 'undefined'
    ? { version: '0.0.0-dev', gitCommit: 'unknown', buildTime: 'unknown' }
    : __STEVEDORE_BUILD__;
