import { proxyInfo } from './host-info';
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
