/** ConfigProblem is one invalid environment variable and why it was rejected (never its secret value). */
export interface ConfigProblem {
  readonly variable: string;
  readonly reason: string;
}

/**
 * ConfigError is thrown by `validateConfig` when the environment is invalid; it lists every bad
 * variable at once, because fixing them one restart at a time is miserable. Its message is safe to
 * print: values of sensitive variables and URL credentials were already redacted.
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';

  constructor(readonly problems: readonly ConfigProblem[]) {
    super(['invalid configuration:', ...problems.map(formatProblem)].join('\n'));
  }
}

/** formatProblem renders one problem as `VARIABLE: reason`, the line format operators see. */
export function formatProblem(problem: ConfigProblem): string {
  return `${problem.variable}: ${problem.reason}`;
}
