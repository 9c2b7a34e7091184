import { endpointsFor, isLoopbackHost, registryOrigin } from './endpoint';
import { DEFAULT_RETRY, backoffDelay } from './retry';

describe('registryOrigin', () => {
  it.each([
    ['docker.io', [], 'https://registry-1.docker.io'],
    ['127.0.0.1:5000', [], 'http://127.0.0.1:5000'],
    ['127.8.9.10', [], 'http://127.8.9.10'],
    ['localhost:5000', [], 'http://localhost:5000'],
    ['[::1]:5000', [], 'http://[::1]:5000'],
    ['registry.example.com', [], 'https://registry.example.com'],
    [
      'registry.example.com:5000',
      ['registry.example.com:5000'],
      'http://registry.example.com:5000',
    ],
    ['128.0.0.1:5000', [], 'https://128.0.0.1:5000'],
  ])('%s (insecure %j) → %s', (registry, insecure, origin) => {
    expect(registryOrigin(registry, insecure)).toBe(origin);
  });

  it('does not mistake a look-alike host for loopback', () => {
    expect(isLoopbackHost('127.0.0.1.evil.example')).toBe(false);
    expect(isLoopbackHost('localhost.example')).toBe(false);
  });
});

describe('endpointsFor', () => {
  const options = {
    mirrors: { 'docker.io': ['http://127.0.0.1:5000', 'mirror.example.com'] },
    insecure: [],
  };

  it('lists mirrors in order before the registry for pulls', () => {
    expect(
      endpointsFor('docker.io', options, 'pull').map((e) => [e.origin, e.mirror, e.credentialHost]),
    ).toEqual([
      ['http://127.0.0.1:5000', true, '127.0.0.1:5000'],
      ['https://mirror.example.com', true, 'mirror.example.com'],
      ['https://registry-1.docker.io', false, 'docker.io'],
    ]);
  });

  it('never pushes to a mirror', () => {
    expect(endpointsFor('docker.io', options, 'push').map((e) => e.origin)).toEqual([
      'https://registry-1.docker.io',
    ]);
  });
});

describe('backoffDelay', () => {
  it('doubles from the base, stays within [ceiling/2, ceiling] and respects the cap', () => {
    expect(backoffDelay(DEFAULT_RETRY, 1, () => 0)).toBe(500);
    expect(backoffDelay(DEFAULT_RETRY, 1, () => 1)).toBe(1000);
    expect(backoffDelay(DEFAULT_RETRY, 3, () => 1)).toBe(4000);
    expect(backoffDelay(DEFAULT_RETRY, 20, () => 1)).toBe(60_000);
  });
});
