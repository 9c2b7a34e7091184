import { tagTarget } from './tag-target';

describe('tagTarget', () => {
  it('joins repo and tag, defaulting to latest', () => {
    expect(String(tagTarget('docker.io/library/mybusybox', 'v1'))).toBe(
      'docker.io/library/mybusybox:v1',
    );
    expect(String(tagTarget('127.0.0.1:5000/mybusybox', undefined))).toBe(
      '127.0.0.1:5000/mybusybox:latest',
    );
    expect(String(tagTarget('mybusybox', ''))).toBe('docker.io/library/mybusybox:latest');
  });

  it('refuses what Docker refuses, with its messages', () => {
    expect(() => tagTarget(`busybox@sha256:${'a'.repeat(64)}`, 'v1')).toThrow(
      'refusing to create a tag with a digest reference',
    );
    expect(() => tagTarget('sha256', 'v1')).toThrow(
      'refusing to create an ambiguous tag using digest algorithm as name',
    );
    expect(() => tagTarget('BAD', 'v1')).toThrow(/must be lowercase/);
    expect(() => tagTarget('ok', 'bad tag')).toThrow('invalid tag format');
    expect(() => tagTarget(undefined, 'v1')).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
  });
});
