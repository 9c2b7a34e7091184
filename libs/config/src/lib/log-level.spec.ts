import { nestLogLevels, nestStartupLogLevels } from './log-level';

describe('Nest log levels', () => {
  it('lets through everything up to the configured level once running', () => {
    expect(nestLogLevels('error')).toEqual(['fatal', 'error']);
    expect(nestLogLevels('info')).toEqual(['fatal', 'error', 'warn', 'log']);
    expect(nestLogLevels('debug')).toContain('verbose');
  });

  it("hides Nest's bootstrap chatter unless debugging", () => {
    expect(nestStartupLogLevels('info')).toEqual(['fatal', 'error', 'warn']);
    expect(nestStartupLogLevels('error')).toEqual(['fatal', 'error']);
    expect(nestStartupLogLevels('debug')).toEqual(nestLogLevels('debug'));
  });
});
