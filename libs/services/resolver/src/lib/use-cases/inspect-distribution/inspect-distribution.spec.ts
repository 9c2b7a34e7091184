import { configPlatform } from './inspect-distribution.use-case';

const bytes = (value: unknown) => Buffer.from(JSON.stringify(value));

describe('configPlatform (the platform dockerd reports for a single manifest)', () => {
  it('reads os, architecture and variant in their JSON spelling', () => {
    expect(configPlatform(bytes({ os: 'linux', architecture: 'arm', variant: 'v7' }))).toEqual([
      { os: 'linux', architecture: 'arm', variant: 'v7' },
    ]);
  });

  it('keeps the Windows keys dotted, as the Engine API spells them', () => {
    const config = {
      os: 'windows',
      architecture: 'amd64',
      'os.version': '10.0.1',
      'os.features': ['win32k'],
    };
    expect(configPlatform(bytes(config))).toEqual([
      { os: 'windows', architecture: 'amd64', 'os.version': '10.0.1', 'os.features': ['win32k'] },
    ]);
  });

  it('gives no platform for a config that is not JSON or names none, instead of failing', () => {
    expect(configPlatform(Buffer.from('not json'))).toEqual([]);
    expect(configPlatform(bytes({ rootfs: {} }))).toEqual([]);
  });
});
