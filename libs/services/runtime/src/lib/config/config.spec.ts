import { commandOf, mergeConfig } from './merge-config';
import { parseBind, parseHostConfig, parsePortBindings } from './host-config';

describe('mergeConfig (dockerd: the request over the image)', () => {
  const image = {
    Env: ['PATH=/bin', 'A=1'],
    Cmd: ['sh'],
    Labels: { from: 'image' },
    ExposedPorts: { '80/tcp': {} },
  };

  it('keeps the image Cmd when the request gives none, and merges Env by name', () => {
    const config = mergeConfig({ Env: ['A=2', 'B=3'] }, image, 'busybox', 'abc');
    expect(config.Cmd).toEqual(['sh']);
    // dockerd's order: the request's, then the image's it does not set.
    expect(config.Env).toEqual(['A=2', 'B=3', 'PATH=/bin']);
    expect(config.Hostname).toBe('abc');
    expect(config.Labels).toEqual({ from: 'image' });
  });

  it('drops the image Cmd when the request sets an Entrypoint, as docker run --entrypoint does', () => {
    const config = mergeConfig({ Entrypoint: ['ls'] }, image, 'busybox', 'abc');
    expect(commandOf(config)).toEqual({ path: 'ls', args: [] });
  });

  it('refuses a container with no command with dockerd’s message', () => {
    const config = mergeConfig({}, { Env: [] }, 'scratchy', 'abc');
    expect(() => commandOf(config)).toThrow('No command specified');
  });
});

describe('parseHostConfig', () => {
  it('reads binds: an absolute source is a host path, a name a volume', () => {
    expect(parseBind('/srv:/data:ro')).toEqual({
      type: 'bind',
      source: '/srv',
      destination: '/data',
      readonly: true,
    });
    expect(parseBind('cache:/cache').type).toBe('volume');
  });

  it('refuses a relative destination and an invalid volume name', () => {
    expect(() => parseBind('/srv:data')).toThrow(/mount path must be absolute/);
    expect(() => parseBind('bad name:/x')).toThrow(/includes invalid characters/);
    expect(() => parseBind('/only')).toThrow(/invalid volume specification/);
  });

  it('reads port bindings, an empty HostPort meaning an ephemeral port', () => {
    expect(parsePortBindings({ '80/tcp': [{ HostIp: '127.0.0.1', HostPort: '' }] })).toEqual([
      { containerPort: 80, protocol: 'tcp', hostIp: '127.0.0.1', hostPort: 0 },
    ]);
    expect(() => parsePortBindings({ '99999/tcp': [] })).toThrow(/invalid port/);
  });

  it('refuses a restart policy it cannot honour, and accepts "no"', () => {
    expect(parseHostConfig({ RestartPolicy: { Name: 'no' } }).networkMode).toBe('bridge');
    expect(() => parseHostConfig({ RestartPolicy: { Name: 'always' } })).toThrow(
      /restart policy always is not supported/,
    );
  });

  it('maps network modes as dockerd and refuses unknown networks', () => {
    expect(parseHostConfig({}).networkMode).toBe('bridge');
    expect(parseHostConfig({ NetworkMode: 'host' }).networkMode).toBe('host');
    expect(() => parseHostConfig({ NetworkMode: 'nope' })).toThrow('network nope not found');
  });
});
