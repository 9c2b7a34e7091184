import type { ImageInspect } from '../engine-types';
import { inspectForVersion, legacyConfig } from './inspect-versions';

const INSPECT: ImageInspect = {
  Id: 'sha256:1',
  RepoTags: ['a:1'],
  RepoDigests: [],
  Parent: '',
  Comment: '',
  Created: '2024-01-01T00:00:00Z',
  DockerVersion: '',
  Author: '',
  Config: { Cmd: ['sh'], ExposedPorts: { '80/tcp': {} } },
  Architecture: 'amd64',
  Os: 'linux',
  Size: 42,
  GraphDriver: { Name: 'stevedore', Data: null },
  RootFS: { Type: 'layers', Layers: [] },
  Metadata: { LastTagTime: '0001-01-01T00:00:00Z' },
};

describe('inspectForVersion', () => {
  it('leaves the answer alone from API 1.50', () => {
    expect(inspectForVersion(INSPECT, '1.50')).toBe(INSPECT);
  });

  it('fills Config with the zero values of container.Config below 1.50, set keys kept', () => {
    const config = inspectForVersion(INSPECT, '1.49').Config;
    expect(config).toMatchObject({ Cmd: ['sh'], Entrypoint: null, Env: null, WorkingDir: '' });
    expect(config).toMatchObject({ User: '', Labels: null, Volumes: null, OnBuild: null });
    expect(config['ExposedPorts']).toEqual({ '80/tcp': {} });
    expect(config).not.toHaveProperty('Healthcheck');
  });

  it('adds Container/ContainerConfig below 1.45 and VirtualSize below 1.44, in dockerd order', () => {
    expect(Object.keys(inspectForVersion(INSPECT, '1.44'))).not.toContain('VirtualSize');
    expect(Object.keys(inspectForVersion(INSPECT, '1.45'))).not.toContain('Container');
    const old = inspectForVersion(INSPECT, '1.41');
    expect(Object.keys(old)).toEqual([
      ...['Id', 'RepoTags', 'RepoDigests', 'Parent', 'Comment', 'Created', 'Container'],
      ...['ContainerConfig', 'DockerVersion', 'Author', 'Config', 'Architecture', 'Os', 'Size'],
      ...['VirtualSize', 'GraphDriver', 'RootFS', 'Metadata'],
    ]);
    expect(old).toMatchObject({
      Container: '',
      ContainerConfig: legacyConfig({}),
      VirtualSize: 42,
    });
  });
});
