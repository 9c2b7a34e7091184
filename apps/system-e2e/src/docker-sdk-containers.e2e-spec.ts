import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Docker from 'dockerode';
import { killAllApps } from './support/app-process';
import { busyboxRootfsTar, dockerCli, importBusybox } from './support/busybox-import';
import { Topology, startEmbedded } from './support/topology';

let home: string;
let stevedore: Topology;
let dockerode: Docker;

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'stevedore-e2e-sdk-'));
  stevedore = await startEmbedded();
  await importBusybox(dockerCli(stevedore.url, home), await busyboxRootfsTar(home));
  const { hostname, port } = new URL(stevedore.url);
  dockerode = new Docker({ host: hostname, port: Number(port), protocol: 'http' });
}, 120_000);

afterAll(async () => {
  await stevedore?.stop();
  await killAllApps();
  if (home) await rm(home, { recursive: true, force: true });
});

// docker-py 5.0.3 (Debian's python3-docker), run with Debian's python as a user would.
const PY = `
import docker, json, sys
c = docker.DockerClient(base_url=sys.argv[1])
ct = c.containers.create('busybox', ['sh', '-c', 'echo from-py; touch /py.txt; exit 3'], name='py')
ct.start()
code = ct.wait()['StatusCode']
logs = ct.logs().decode() if sys.argv[2] == '1' else ''
img = ct.commit(repository='pyimage', tag='1', author='py author', message='py comment')
attrs = c.images.get('pyimage:1').attrs
out = c.containers.run('pyimage:1', ['ls', '/py.txt'], remove=True).decode() if sys.argv[2] == '1' else ''
ct.remove()
gone = [x.name for x in c.containers.list(all=True) if x.name == 'py']
print(json.dumps({'code': code, 'logs': logs, 'id': img.id, 'author': attrs['Author'],
  'comment': attrs['Comment'], 'layers': len(attrs['RootFS']['Layers']), 'ls': out, 'gone': gone}))
`;

describe('containers through the Docker SDKs (embedded)', () => {
  it('docker-py: create, start, wait, logs, commit, remove', async () => {
    const url = stevedore.url.replace(/^http:/, 'tcp:');
    const { stdout } = await promisify(execFile)('/usr/bin/python3', ['-c', PY, url, '1'], {
      timeout: 120_000,
    });
    const seen = JSON.parse(stdout) as Record<string, unknown>;
    expect(seen).toEqual({
      code: 3,
      logs: 'from-py\n',
      id: expect.stringMatching(/^sha256:[0-9a-f]{64}$/),
      author: 'py author',
      comment: 'py comment',
      layers: 2,
      ls: '/py.txt\n',
      gone: [],
    });
  }, 150_000);

  describe('dockerode', () => {
    let container: Docker.Container;

    it('creates, starts and waits for a container: its exit code', async () => {
      container = await dockerode.createContainer({
        Image: 'busybox',
        Cmd: ['sh', '-c', 'echo from-node; touch /node.txt; exit 5'],
        name: 'node',
      });
      await container.start();
      expect(await container.wait()).toEqual({ StatusCode: 5, Error: null });
    }, 60_000);

    it('shows the container’s output in its logs', async () => {
      const logs = await container.logs({ stdout: true, stderr: true });
      // Without a TTY the log stream is multiplexed: one stdout frame of "from-node\n".
      expect(logs.subarray(8).toString()).toBe('from-node\n');
      expect(logs[0]).toBe(1);
    });

    it('commits it: the image has the file, the author and the comment', async () => {
      const { Id } = (await container.commit({
        repo: 'nodeimage',
        tag: '1',
        author: 'node author',
        comment: 'node comment',
      })) as { Id: string };
      expect(Id).toMatch(/^sha256:[0-9a-f]{64}$/);
      const image = await dockerode.getImage('nodeimage:1').inspect();
      expect([image.Id, image.Author, image.Comment]).toEqual([Id, 'node author', 'node comment']);
      const check = await dockerode.createContainer({
        Image: 'nodeimage:1',
        Cmd: ['ls', '/node.txt'],
      });
      await check.start();
      expect(await check.wait()).toEqual({ StatusCode: 0, Error: null });
      await check.remove();
    }, 60_000);

    it('removes it: inspect then answers 404', async () => {
      await container.remove();
      await expect(container.inspect()).rejects.toMatchObject({ statusCode: 404 });
      const names = (await dockerode.listContainers({ all: true })).flatMap((c) => c.Names);
      expect(names).not.toContain('/node');
    });
  });
});
