import { isDomainError } from '@stevedore/domain';
import { buildRequestOf } from './build-request';

// What the docker CLI 28 sends for `docker build -t runoob/busybox:6.7 .` (classic builder).
const CLI_QUERY = {
  t: 'runoob/busybox:6.7',
  rm: '1',
  cpusetcpus: '',
  networkmode: 'default',
  cpusetmems: '',
  cpushares: '0',
  cpuquota: '0',
  cpuperiod: '0',
  memory: '0',
  memswap: '0',
  cgroupparent: '',
  shmsize: '0',
  dockerfile: 'Dockerfile',
  target: '',
  ulimits: 'null',
  buildargs: '{}',
  labels: '{}',
  cachefrom: 'null',
  version: '1',
};

function refusal(query: Record<string, string | string[]>) {
  try {
    buildRequestOf(query, '1.41');
  } catch (err) {
    if (isDomainError(err)) return { code: err.code, message: err.message };
    throw err;
  }
  throw new Error('accepted');
}

describe('POST /build query, read as dockerd 20.10 reads it', () => {
  it('reads what the CLI sends into the builder’s request, defaults filled in', () => {
    expect(buildRequestOf(CLI_QUERY, '1.41')).toEqual({
      dockerfile: 'Dockerfile',
      tags: ['docker.io/runoob/busybox:6.7'],
      buildArgs: {},
      labels: {},
      noCache: false,
      pull: false,
      quiet: false,
      rm: true,
      forceRm: false,
      cacheFrom: [],
      networkMode: 'default',
      extraHosts: [],
      apiVersion: '1.41',
    });
  });

  it('takes every option the classic builder reads', () => {
    const request = buildRequestOf(
      {
        t: ['a', 'b:2', 'a:latest', ''],
        dockerfile: 'sub/Dockerfile.x',
        buildargs: '{"A":"1","B":null}',
        labels: '{"l":"v"}',
        cachefrom: '["busybox"]',
        target: 'build',
        nocache: '1',
        pull: 'true',
        q: '1',
        rm: '0',
        networkmode: 'none',
        extrahosts: ['db:10.0.0.2', 'v6:[::1]'],
        platform: 'linux',
        remote: 'http://127.0.0.1/ctx.tar',
        memory: '1048576',
        memswap: '-1',
        cpushares: '512',
        cpuquota: '50000',
        cpuperiod: '100000',
        cpusetcpus: '0',
        shmsize: '67108864',
      },
      '1.50',
    );
    expect(request).toEqual({
      dockerfile: 'sub/Dockerfile.x',
      tags: ['docker.io/library/a:latest', 'docker.io/library/b:2'],
      buildArgs: { A: '1', B: null },
      labels: { l: 'v' },
      cacheFrom: ['busybox'],
      target: 'build',
      noCache: true,
      pull: true,
      quiet: true,
      rm: false,
      forceRm: false,
      networkMode: 'none',
      extraHosts: ['db:10.0.0.2', 'v6:[::1]'],
      platform: 'linux/amd64',
      remote: 'http://127.0.0.1/ctx.tar',
      memory: 1048576,
      memorySwap: -1,
      cpuShares: 512,
      cpuQuota: 50000,
      cpuPeriod: 100000,
      cpusetCpus: '0',
      shmSize: 67108864,
      apiVersion: '1.50',
    });
  });

  it('removes intermediate containers when rm is absent, and always with forcerm', () => {
    expect(buildRequestOf({}, '1.41')).toMatchObject({ rm: true, forceRm: false });
    expect(buildRequestOf({ rm: 'false', forcerm: '1' }, '1.41')).toMatchObject({
      rm: true,
      forceRm: true,
    });
  });

  it('ignores limits it cannot parse, as httputils.Int64ValueOrZero does', () => {
    expect(buildRequestOf({ memory: 'abc', cpushares: '1.5' }, '1.41')).not.toHaveProperty(
      'memory',
    );
  });

  it.each([
    [
      { buildargs: '{bad' },
      "error reading build args: invalid character 'b' looking for beginning of object key string",
    ],
    [
      { labels: '[1]' },
      'error reading labels: json: cannot unmarshal array into Go value of type map[string]string',
    ],
    [
      { labels: '{"a":1}' },
      'error reading labels: json: cannot unmarshal number into Go value of type string',
    ],
    [{ cachefrom: '{}' }, 'json: cannot unmarshal object into Go value of type []string'],
    [
      { ulimits: 'bad' },
      "error reading ulimit settings: invalid character 'b' looking for beginning of value",
    ],
    [{ shmsize: 'abc' }, 'strconv.ParseInt: parsing "abc": invalid syntax'],
    [{ version: '2' }, 'buildkit is not enabled on daemon'],
    [{ version: '3' }, 'invalid version "3"'],
    [{ isolation: 'hyperv' }, 'Unsupported isolation: "hyperv"'],
    [
      { securityopt: 'x' },
      'The daemon on this platform does not support setting security options on build',
    ],
    [{ squash: '1' }, 'squash is only supported with experimental mode'],
    [{ t: 'Bad:x' }, 'invalid reference format: repository name (library/Bad) must be lowercase'],
    [{ t: `a@sha256:${'0'.repeat(64)}` }, 'build tag cannot contain a digest'],
    [{ extrahosts: 'bad' }, 'bad format for add-host: "bad"'],
    [{ extrahosts: 'h:1.2.3' }, 'invalid IP address in add-host: "1.2.3"'],
    [
      { platform: 'bogus/x/y/z' },
      '"bogus/x/y/z": cannot parse platform specifier: invalid argument',
    ],
  ])('refuses %j in dockerd’s words: %s', (query, message) => {
    expect(refusal(query)).toEqual({ code: 'INVALID_ARGUMENT', message });
  });

  it('refuses another platform than the host’s, naming both', () => {
    expect(refusal({ platform: 'linux/s390x' })).toEqual({
      code: 'INVALID_ARGUMENT',
      message:
        'image platform linux/s390x is not supported: this daemon builds for linux/amd64 only',
    });
  });

  it('refuses a network Stevedore has not as dockerd’s 404', () => {
    expect(refusal({ networkmode: 'foo' })).toEqual({
      code: 'NOT_FOUND',
      message: 'network foo not found',
    });
  });

  it('refuses RUN settings the runtime cannot apply instead of ignoring them', () => {
    expect(refusal({ ulimits: '[{"Name":"nofile","Soft":1,"Hard":1}]', cpusetmems: '0' })).toEqual({
      code: 'UNSUPPORTED',
      message: 'Stevedore does not apply ulimits, cpusetmems to build containers',
    });
  });

  it('names the first bad parameter in dockerd’s order', () => {
    expect(refusal({ labels: '[', buildargs: '[' }).message).toMatch(/^error reading build args/);
  });
});
