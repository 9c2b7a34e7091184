import { T4_CONFIG, T4_CONFIG_DIGEST, utf8 } from '../../../test/t4-vectors';
import { DomainError } from '../errors/domain-error';
import { chainId } from '../digest/chain-id';
import { EMPTY_LAYER_DIFF_ID } from '../digest/well-known';
import { layerHistory } from './image-config';
import { parseImageConfig } from './parse-image-config';

function errorOf(fn: () => unknown): DomainError {
  try {
    fn();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a DomainError');
}

const withField = (patch: Record<string, unknown>): Uint8Array =>
  utf8(JSON.stringify({ ...JSON.parse(T4_CONFIG), ...patch }));

describe('T4 image config', () => {
  const parsed = parseImageConfig(utf8(T4_CONFIG), {
    expectedDigest: T4_CONFIG_DIGEST,
    expectedSize: 329,
  });

  it('hashes to the classic image ID and keeps the bytes', () => {
    expect([parsed.digest.toString(), parsed.size]).toEqual([T4_CONFIG_DIGEST, 329]);
  });

  it('parses platform, container config, rootfs and history', () => {
    expect(parsed.config.os).toBe('linux');
    expect(parsed.config.architecture).toBe('amd64');
    expect(parsed.config.config).toEqual({
      Env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'],
      Cmd: ['/bin/sh'],
    });
    expect(parsed.config.rootfs.diff_ids.map(String)).toEqual([EMPTY_LAYER_DIFF_ID.toString()]);
    expect(parsed.config.history).toEqual([
      { created: '1970-01-01T00:00:00Z', created_by: 'test layer' },
    ]);
  });

  it('has the DiffID as the ChainID of its one-layer rootfs', () => {
    expect(chainId(parsed.config.rootfs.diff_ids).toString()).toBe(EMPTY_LAYER_DIFF_ID.toString());
  });

  it('attributes the single history entry to the single layer', () => {
    expect(layerHistory(parsed.config).map((h) => h.diffId?.toString())).toEqual([
      EMPTY_LAYER_DIFF_ID.toString(),
    ]);
  });

  it('refuses bytes that are not the requested config', () => {
    expect(
      errorOf(() =>
        parseImageConfig(withField({ author: 'x' }), { expectedDigest: T4_CONFIG_DIGEST }),
      ).code,
    ).toBe('DIGEST_MISMATCH');
  });
});

describe('parseImageConfig validation', () => {
  it.each([
    [
      { rootfs: { type: 'tarball', diff_ids: [] } },
      'invalid image config: rootfs.type must be "layers", got "tarball"',
    ],
    [
      { rootfs: { type: 'layers', diff_ids: ['sha256:abc'] } },
      'invalid image config: rootfs.diff_ids[0]: invalid checksum digest length',
    ],
    [
      { rootfs: { type: 'layers', diff_ids: [7] } },
      'invalid image config: rootfs.diff_ids[0] must be a string',
    ],
    [{ rootfs: { type: 'layers' } }, 'invalid image config: rootfs.diff_ids must be an array'],
    [{ rootfs: null }, 'invalid image config: rootfs must be an object'],
    [{ architecture: undefined }, 'invalid image config: architecture must be a string'],
    [{ config: { Env: 'A=1' } }, 'invalid image config: config.Env must be an array of strings'],
    [
      { config: { Labels: { a: 1 } } },
      'invalid image config: config.Labels must be an object of strings',
    ],
    [
      { config: { ExposedPorts: { '80/tcp': 1 } } },
      'invalid image config: config.ExposedPorts must be an object of objects',
    ],
    [
      { history: [{ empty_layer: 'yes' }] },
      'invalid image config: history[0].empty_layer must be a boolean',
    ],
  ])('rejects %j', (patch, message) => {
    const error = errorOf(() => parseImageConfig(withField(patch)));
    expect([error.code, error.message]).toEqual(['INVALID_ARGUMENT', message]);
  });

  it('treats null optional fields as absent and keeps unknown fields in raw', () => {
    const parsed = parseImageConfig(
      withField({
        config: { Cmd: null, Entrypoint: null, Labels: null },
        history: null,
        container_config: { Hostname: 'h' },
      }),
    );
    expect(parsed.config.config).toEqual({});
    expect(parsed.config.history).toBeUndefined();
    expect(parsed.raw['container_config']).toEqual({ Hostname: 'h' });
  });

  it('reads the full container config block', () => {
    const config = {
      User: '1000:1000',
      ExposedPorts: { '80/tcp': {}, '53/udp': {} },
      Env: ['A=1'],
      Entrypoint: ['/x'],
      Cmd: ['run'],
      Volumes: { '/data': {} },
      WorkingDir: '/app',
      Labels: { 'org.opencontainers.image.title': 't' },
      StopSignal: 'SIGTERM',
      ArgsEscaped: true,
      Healthcheck: { Test: ['CMD', 'true'], Interval: 30_000_000_000, Retries: 3 },
      OnBuild: ['RUN x'],
      Shell: ['/bin/sh', '-c'],
    };
    expect(
      parseImageConfig(
        withField({ config, variant: 'v8', 'os.version': '10.0', 'os.features': ['win32k'] }),
      ).config,
    ).toMatchObject({
      variant: 'v8',
      osVersion: '10.0',
      osFeatures: ['win32k'],
      config,
    });
  });
});

describe('layerHistory', () => {
  const A = 'sha256:' + 'a'.repeat(64);
  const B = 'sha256:' + 'b'.repeat(64);

  it('skips empty_layer entries when pairing history with DiffIDs', () => {
    const history = [
      { created_by: 'ADD a' },
      { created_by: 'ENV x', empty_layer: true },
      { created_by: 'RUN b' },
    ];
    const { config } = parseImageConfig(
      withField({ rootfs: { type: 'layers', diff_ids: [A, B] }, history }),
    );
    expect(layerHistory(config).map((h) => h.diffId?.toString())).toEqual([A, undefined, B]);
  });

  it('attributes nothing when the counts disagree', () => {
    const { config } = parseImageConfig(
      withField({ rootfs: { type: 'layers', diff_ids: [A, B] }, history: [{ created_by: 'one' }] }),
    );
    expect(layerHistory(config)).toEqual([{ entry: { created_by: 'one' } }]);
  });
});
