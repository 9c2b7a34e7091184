import { ConsoleLogger } from '@nestjs/common';
import { nestTimestamp } from '@stevedore/process-setup';
import { ServiceLogger } from './service-logger';

describe('ServiceLogger', () => {
  it("prints Nest's line with the timestamp written without ICU", () => {
    const lines: string[] = [];
    const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      lines.push(String(chunk));
      return true;
    });
    const before = Date.now();
    new ServiceLogger({ colors: false }).log('ready', 'test');
    new ConsoleLogger({ colors: false }).log('ready', 'test');
    write.mockRestore();
    const [ours, nest] = lines.map((l) => l.replace(/\d+:\d\d:\d\d [AP]M/, 'TIME'));
    expect(ours).toBe(nest);
    expect(lines[0]).toContain(nestTimestamp(before).slice(0, 10));
  });
});
