import type { RuntimeInfoV1 } from '@stevedore/contracts';
import { proxyInfo, runtimeKeys } from './host-info';
import { registryConfigOf } from './registry-config';

describe('registryConfigOf (docker info RegistryConfig, as dockerd 20.10 shapes it)', () => {
  it('lists mirrors under Docker Hub, insecure names as indexes and CIDRs with loopback', () => {
    const config = registryConfigOf({
      mirrors: ['http://127.0.0.1:5999', 'https://mirror.example/'],
      insecureRegistries: ['10.1.0.0/16', 'myreg.example:5000'],
    });
    expect(config).toEqual({
      AllowNondistributableArtifactsCIDRs: [],
      AllowNondistributableArtifactsHostnames: [],
      InsecureRegistryCIDRs: ['10.1.0.0/16', '127.0.0.0/8'],
      IndexConfigs: {
        'docker.io': {
          Name: 'docker.io',
          Mirrors: ['http://127.0.0.1:5999/', 'https://mirror.example/'],
          Secure: true,
          Official: true,
        },
        'myreg.example:5000': {
          Name: 'myreg.example:5000',
          Mirrors: [],
          Secure: false,
          Official: false,
        },
      },
      Mirrors: ['http://127.0.0.1:5999/', 'https://mirror.example/'],
    });
  });

  it('still names Docker Hub and loopback with nothing configured', () => {
    const config = registryConfigOf({ mirrors: [], insecureRegistries: [] });
    expect(Object.keys(config.IndexConfigs)).toEqual(['docker.io']);
    expect(config.InsecureRegistryCIDRs).toEqual(['127.0.0.0/8']);
  });
});

describe('proxyInfo (docker info HttpProxy, HttpsProxy, NoProxy)', () => {
  it('reads the environment, upper case first, and never shows proxy credentials', () => {
    expect(
      proxyInfo({
        HTTP_PROXY: 'http://user:secret@proxy.example:3128',
        https_proxy: 'http://proxy.example:3129',
        no_proxy: 'localhost,127.0.0.1',
      }),
    ).toEqual({
      HttpProxy: 'http://xxxxx:xxxxx@proxy.example:3128/',
      HttpsProxy: 'http://proxy.example:3129',
      NoProxy: 'localhost,127.0.0.1',
    });
  });
});

describe('runtimeKeys (docker info: what the host runtime can do)', () => {
  const measured: RuntimeInfoV1 = {
    cgroupVersion: '1',
    memoryLimit: true,
    swapLimit: false,
    cpuCfsQuota: true,
    cpuShares: true,
    cpuSet: true,
    pidsLimit: true,
    ipv4Forwarding: true,
    bridgeNfIptables: false,
    bridgeNfIp6tables: false,
    networks: ['none', 'host', 'bridge'],
    runcCommit: '1.1.5+ds1-1+deb12u1',
    seccomp: true,
  };

  it("names what the runtime measured in dockerd's terms", () => {
    expect(runtimeKeys(measured)).toMatchObject({
      MemoryLimit: true,
      SwapLimit: false,
      OomKillDisable: true,
      CgroupDriver: 'cgroupfs',
      CgroupVersion: '1',
      DefaultRuntime: 'runc',
      Runtimes: { runc: { path: 'runc' } },
      RuncCommit: { ID: '1.1.5+ds1-1+deb12u1', Expected: '1.1.5+ds1-1+deb12u1' },
      LoggingDriver: 'json-file',
      Plugins: { Volume: ['local'], Network: ['bridge', 'host', 'null'], Log: ['json-file'] },
      SecurityOptions: ['name=seccomp,profile=default'],
    });
  });

  it('claims no capability without a runtime, and no bridge where its preflight failed', () => {
    expect(runtimeKeys(undefined)).toMatchObject({
      MemoryLimit: false,
      DefaultRuntime: '',
      Runtimes: {},
      Plugins: { Volume: [], Network: [], Log: [] },
      SecurityOptions: [],
    });
    const noBridge = runtimeKeys({ ...measured, networks: ['host', 'none'], cgroupVersion: '2' });
    expect(noBridge).toMatchObject({
      Plugins: { Network: ['host', 'null'] },
      SecurityOptions: ['name=seccomp,profile=default', 'name=cgroupns'],
      OomKillDisable: false,
    });
  });
});
