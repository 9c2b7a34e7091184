import { ConfigError, formatProblem } from './config-error';
import { Environment, validateConfig } from './validate-config';

/** EX_CONFIG is the exit code (sysexits.h) of a process that refuses to start on bad configuration. */
export const EX_CONFIG = 78;

/** LoadConfigOptions replaces the process's environment, stderr and exit, for tests. */
export interface LoadConfigOptions {
  readonly env?: Environment;
  readonly stderr?: { write(text: string): unknown };
  readonly exit?: (code: number) => never;
}

/**
 * loadConfigOrExit validates the environment into the config class `cls` (see `validateConfig`);
 * on invalid configuration it prints `<appName>: invalid configuration:` and one line per problem
 * to stderr, then exits with {@link EX_CONFIG}. Secret values are never printed.
 */
export function loadConfigOrExit<T extends object>(
  cls: new () => T,
  appName: string,
  options: LoadConfigOptions = {},
): T {
  try {
    return validateConfig(cls, options.env ?? process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    const lines = error.problems.map((problem) => `  ${formatProblem(problem)}\n`);
    (options.stderr ?? process.stderr).write(
      `${appName}: invalid configuration:\n${lines.join('')}`,
    );
    const exit = options.exit ?? ((code: number): never => process.exit(code));
    return exit(EX_CONFIG);
  }
}
