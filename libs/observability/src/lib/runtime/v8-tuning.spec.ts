import { runInNewContext } from 'node:vm';
import { writeScavenger } from './v8-tuning';

describe('writeScavenger', () => {
  it('exposes gc only once called, and takes any number of written bytes', () => {
    expect(runInNewContext('typeof gc')).toBe('undefined');
    const written = writeScavenger();
    expect(runInNewContext('typeof gc')).toBe('function');
    for (let i = 0; i < 10; i += 1) written(1024 * 1024);
    expect(() => written(0)).not.toThrow();
  });
});
