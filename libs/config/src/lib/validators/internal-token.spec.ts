import { internalTokenProblem } from './internal-token';

describe('internalTokenProblem', () => {
  it('accepts a generated secret', () => {
    expect(internalTokenProblem('q3J0c2VjcmV0LXRva2VuLTAxMjM0NTY3ODlhYmNkZWY=')).toBeUndefined();
  });

  it('refuses a short, spaced or non-printable token without repeating it', () => {
    for (const bad of ['hunter2', `${'a'.repeat(31)}`, `${'a'.repeat(20)} ${'b'.repeat(20)}`]) {
      const problem = internalTokenProblem(bad);
      expect(problem).toMatch(/^must be a secret of at least 32 printable characters/);
      expect(problem).not.toContain(bad);
    }
    expect(internalTokenProblem(`${'a'.repeat(40)}\n`)).toBeDefined();
    expect(internalTokenProblem(undefined)).toBeDefined();
  });
});
