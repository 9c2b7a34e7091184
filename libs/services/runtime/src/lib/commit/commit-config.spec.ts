import type { DockerConfig } from '../store/container-record';
import { EMPTY_TAR_DIFF_ID, childImageJson } from './child-image';
import { commitConfigOf, goOrdered, mergeCommit } from './commit-config';

// What a real dockerd 20.10 holds for `docker run --name c1 busybox sh -c 'touch /text.txt'`.
const container: DockerConfig = {
  Hostname: 'afaa2c093dca',
  Domainname: '',
  User: '',
  AttachStdin: false,
  AttachStdout: true,
  AttachStderr: true,
  Tty: false,
  OpenStdin: false,
  StdinOnce: false,
  Env: ['PATH=/bin', 'A=1'],
  Cmd: ['sh', '-c', 'touch /text.txt'],
  Image: 'busybox',
  Volumes: null,
  WorkingDir: '',
  Entrypoint: null,
  OnBuild: null,
  Labels: { from: 'container' },
};

describe('commitConfigOf (dockerd 20.10 CreateImageFromContainer)', () => {
  it('keeps the container’s config, in Go’s field order, when there is no body or change', () => {
    const config = commitConfigOf(container, undefined, []);
    expect(Object.keys(config)).toEqual(Object.keys(container));
    expect(config).toEqual(container);
  });

  it('applies ENTRYPOINT and ENV changes: Cmd becomes null, Env gains the key', () => {
    const config = commitConfigOf(container, undefined, ['ENV B=2', 'ENTRYPOINT ["ls"]']);
    expect(config['Entrypoint']).toEqual(['ls']);
    expect(config['Cmd']).toBeNull();
    expect(config['Env']).toEqual(['PATH=/bin', 'A=1', 'B=2']);
  });

  it('applies the other instructions: CMD shell form, EXPOSE, LABEL, USER, VOLUME, WORKDIR, STOPSIGNAL', () => {
    const config = commitConfigOf(container, undefined, [
      'CMD echo hi',
      'EXPOSE 80',
      'LABEL k=v',
      'USER nobody',
      'VOLUME /data',
      'WORKDIR /srv',
      'STOPSIGNAL SIGINT',
      'ONBUILD RUN true',
    ]);
    expect(config).toMatchObject({
      Cmd: ['/bin/sh', '-c', 'echo hi'],
      ExposedPorts: { '80/tcp': {} },
      Labels: { from: 'container', k: 'v' },
      User: 'nobody',
      Volumes: { '/data': {} },
      WorkingDir: '/srv',
      StopSignal: 'SIGINT',
      OnBuild: ['RUN true'],
    });
  });

  it('merges the container under a body Config: unset keys from it, Env completed by name', () => {
    const config = commitConfigOf(container, { Env: ['A=9'], Labels: { from: 'body' } }, []);
    expect(config['Env']).toEqual(['A=9', 'PATH=/bin']);
    expect(config['Cmd']).toEqual(['sh', '-c', 'touch /text.txt']);
    expect(config['Labels']).toEqual({ from: 'body' });
    // dockerd does not carry Hostname or Image over from the container into a body Config.
    expect(config['Hostname']).toBe('');
    expect(config['Image']).toBe('');
  });

  it('refuses a change that is not a commit instruction, in Docker’s words', () => {
    expect(() => commitConfigOf(container, undefined, ['RUN true'])).toThrow(
      'run is not a valid change command',
    );
  });
});

describe('goOrdered (Go’s encoding of a container config)', () => {
  it('writes map fields with their keys sorted, as encoding/json does', () => {
    const out = goOrdered({
      ExposedPorts: { '80/tcp': {}, '22/tcp': {} },
      Labels: { b: '1', a: '2' },
    });
    expect(Object.keys(out['ExposedPorts'] as object)).toEqual(['22/tcp', '80/tcp']);
    expect(Object.keys(out['Labels'] as object)).toEqual(['a', 'b']);
    expect(out['Volumes']).toBeNull();
  });
});

describe('mergeCommit (dockerd merge)', () => {
  it('keeps the user’s Cmd with no Entrypoint, and takes the container’s Entrypoint', () => {
    const merged = mergeCommit({ Cmd: ['x'] }, { Cmd: ['y'], Entrypoint: ['/e'] });
    expect(merged).toMatchObject({ Cmd: ['x'], Entrypoint: ['/e'] });
  });

  it('keeps an empty user Entrypoint (reset) but fills Cmd from the container', () => {
    const merged = mergeCommit({ Entrypoint: [] }, { Cmd: ['y'], Entrypoint: ['/e'] });
    expect(merged).toMatchObject({ Cmd: ['y'], Entrypoint: [] });
  });

  it('adds the container’s volumes and exposed ports to the user’s', () => {
    const merged = mergeCommit(
      { Volumes: { '/a': {} }, ExposedPorts: { '80/tcp': {} } },
      { Volumes: { '/b': {} }, ExposedPorts: { '53/udp': {} } },
    );
    expect(merged['Volumes']).toEqual({ '/a': {}, '/b': {} });
    expect(merged['ExposedPorts']).toEqual({ '53/udp': {}, '80/tcp': {} });
  });
});

describe('childImageJson (moby NewChildImage)', () => {
  const parent = {
    architecture: 'amd64',
    os: 'linux',
    rootfs: { type: 'layers', diff_ids: ['sha256:' + 'a'.repeat(64)] },
    history: [{ created: '2020-01-01T00:00:00Z', comment: 'Imported from -' }],
  };
  const child = {
    containerId: 'c'.repeat(64),
    containerConfig: { Cmd: ['sh', '-c', 'touch /text.txt'] },
    config: { Cmd: ['sh'] },
    author: 'add file',
    comment: 'msg',
    diffId: 'sha256:' + 'b'.repeat(64),
    created: '2024-01-01T00:00:00.000Z',
    dockerVersion: '1.0.0',
  };

  it('adds the diff ID and a history entry with the container’s command, keys sorted', () => {
    const json = JSON.parse(childImageJson(parent, child)) as Record<string, unknown>;
    expect(Object.keys(json)).toEqual([...Object.keys(json)].sort());
    expect(json['comment']).toBeUndefined();
    expect(json).toMatchObject({
      author: 'add file',
      container: child.containerId,
      rootfs: { type: 'layers', diff_ids: [...parent.rootfs.diff_ids, child.diffId] },
      history: [
        parent.history[0],
        {
          created: child.created,
          author: 'add file',
          created_by: 'sh -c touch /text.txt',
          comment: 'msg',
        },
      ],
    });
  });

  it('adds no diff ID for an empty diff and marks the history entry empty_layer', () => {
    const json = JSON.parse(childImageJson(parent, { ...child, diffId: EMPTY_TAR_DIFF_ID })) as {
      rootfs: { diff_ids: string[] };
      history: { empty_layer?: boolean }[];
    };
    expect(json.rootfs.diff_ids).toEqual(parent.rootfs.diff_ids);
    expect(json.history[1]?.empty_layer).toBe(true);
  });
});
