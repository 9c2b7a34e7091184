import { runInNewContext } from 'node:vm';
import { writeScavenger } from './v8-tuning';

describe('writeScavenger', () => {
  afterEach(() => delete process.env['STEVEDORE_MEMORY_TUNING']);

  it('does nothing, and exposes no gc, with STEVEDORE_MEMORY_TUNING=off', () => {
    process.env['STEVEDORE_MEMORY_TUNING'] = 'off';
    const written = writeScavenger();
    written(64 * 1024 * 1024);
    expect(runInNewContext('typeof gc')).toBe('undefined');
  });

  it('exposes gc only once called, and takes any number of written bytes', () => {
    expect(runInNewContext('typeof gc')).toBe('undefined');
    const written = writeScavenger();
    expect(runInNewContext('typeof gc')).toBe('function');
    for (let i = 0; i < 10; i += 1) written(1024 * 1024);
    expect(() => written(0)).not.toThrow();
  });
});
