import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Fixtures, RegistryHandle, pushFixtures, startRegistry } from '@stevedore/testing';
import { CommandResult, killAllApps, runCommand } from './support/app-process';
import { Topology, startEmbedded } from './support/topology';
import { skipNote } from './support/skip-note';

// Issue 13, "done when": Debian's skopeo 1.9, podman 4.3 and buildah 1.28 copy to and from
// `docker-daemon:` against Stevedore, with nothing rewriting their requests (they speak API 1.22).
// podman and buildah only ever dial unix:///var/run/docker.sock, so they run in a private mount
// namespace whose /run/docker.sock is Stevedore's own socket (STEVEDORE_SOCKET) bind-mounted, with
// nothing in between; that needs root (unshare, mount), as the rest of the container tests do.
const DOCKER = '/usr/local/bin/docker';
const DEFAULT_SOCKET = resolve(__dirname, 'support/default-socket.sh');
const asRoot = process.getuid?.() === 0;

let registry: RegistryHandle;
let fixtures: Fixtures;
let stevedore: Topology;
let scratch: string;
let toolRoot: string;
let env: Record<string, string>;
let source: string;
let socket: string;

const docker = (...args: string[]): Promise<CommandResult> => runCommand(DOCKER, args, env);

interface ToolInspect {
  Id?: string;
  FromImageID?: string;
  RootFS?: { Layers: string[] };
  OCIv1?: { rootfs: { diff_ids: string[] } };
}

interface Identity {
  id: string;
  layers: string[];
}

/** identityIn reads an image's ID and diff IDs as Stevedore reports them (`docker image inspect`). */
async function identityIn(ref: string): Promise<Identity> {
  const out = await docker('image', 'inspect', '--format', '{{json .}}', ref);
  expect(out).toMatchObject({ code: 0, stderr: '' });
  const inspect = JSON.parse(out.stdout) as { Id: string; RootFS: { Layers: string[] } };
  return { id: inspect.Id, layers: inspect.RootFS.Layers };
}

/**
 * A tool's own storage, all under its own dir (short: podman refuses a runroot over 50
 * characters): vfs, cgroupfs, no journald events.
 */
function storageFlags(tool: 'podman' | 'buildah'): string[] {
  const dir = join(toolRoot, tool);
  const common = ['--root', join(dir, 'root'), '--runroot', join(dir, 'run')];
  if (tool === 'buildah') return [...common, '--storage-driver', 'vfs'];
  return [...common, '--storage-driver', 'vfs', '--cgroup-manager', 'cgroupfs'].concat([
    '--events-backend',
    'none',
  ]);
}

/** tool runs podman or buildah with its storage flags, its docker.sock relaying to Stevedore. */
function tool(name: 'podman' | 'buildah', ...args: string[]): Promise<CommandResult> {
  const argv = ['--mount', '--propagation', 'private', DEFAULT_SOCKET, socket, name];
  // No DOCKER_CONFIG: buildah takes it for an auth file that must exist.
  const { DOCKER_CONFIG: _unused, ...toolEnv } = env;
  return runCommand('unshare', [...argv, ...storageFlags(name), ...args], toolEnv, 60_000);
}

beforeAll(async () => {
  registry = await startRegistry();
  fixtures = await pushFixtures(registry);
  scratch = await mkdtemp(join(tmpdir(), 'stevedore-e2e-daemon-transport-'));
  toolRoot = await mkdtemp('/tmp/sdt-');
  socket = join(toolRoot, 'stevedore.sock');
  stevedore = await startEmbedded(undefined, {
    daemonConfig: { 'insecure-registries': [registry.host] },
    env: { STEVEDORE_SOCKET: `unix://${socket}` },
  });
  env = {
    PATH: process.env['PATH'] ?? '/usr/bin:/bin',
    HOME: scratch,
    DOCKER_CONFIG: scratch,
    DOCKER_HOST: stevedore.url.replace(/^http:/, 'tcp:'),
  };
  source = fixtures.multiLayer.reference;
  expect((await docker('pull', '-q', source)).code).toBe(0);
}, 180_000);

afterAll(async () => {
  await stevedore?.stop();
  await killAllApps();
  await registry?.stop();
  if (scratch) await rm(scratch, { recursive: true, force: true });
  if (toolRoot) await rm(toolRoot, { recursive: true, force: true });
});

(asRoot ? describe.each : describe.skip.each)([['podman'], ['buildah']] as const)(
  `%s with docker-daemon: against Stevedore${skipNote(asRoot, 'needs root for unshare and mount')}`,
  (name) => {
    it('pulls the image Stevedore holds, with its ID and every layer', async () => {
      const expected = await identityIn(source);
      const pulled = await tool(name, 'pull', '-q', `docker-daemon:${source}`);
      expect(pulled).toMatchObject({ code: 0 });
      const inspect = await tool(name, 'inspect', '--type', 'image', source);
      expect(inspect.code).toBe(0);
      // podman prints a list of image inspects; buildah one builder-shaped object.
      const parsed = JSON.parse(inspect.stdout) as ToolInspect | ToolInspect[];
      const image = Array.isArray(parsed) ? parsed[0] : parsed;
      const id = image?.Id ?? image?.FromImageID;
      const layers = image?.RootFS?.Layers ?? image?.OCIv1?.rootfs.diff_ids;
      expect(`sha256:${id?.replace(/^sha256:/, '')}`).toBe(expected.id);
      expect(layers).toEqual(expected.layers);
    }, 90_000);

    it('pushes it back under a new name, which docker then inspects alike', async () => {
      const target = `daemon-transport/${name}:pushed`;
      const pushed = await tool(name, 'push', source, `docker-daemon:${target}`);
      expect(pushed).toMatchObject({ code: 0 });
      expect(await identityIn(target)).toEqual(await identityIn(source));
      const listed = await docker('images', '--format', '{{.Repository}}:{{.Tag}}', target);
      expect(listed.stdout).toBe(`${target}\n`);
    }, 90_000);
  },
);

describe('the Engine API on a unix socket (STEVEDORE_SOCKET)', () => {
  it('serves the docker CLI there as on TCP, the socket owner-and-group only', async () => {
    const viaSocket = await runCommand(DOCKER, ['images', '--format', '{{.ID}}', source], {
      ...env,
      DOCKER_HOST: `unix://${socket}`,
    });
    expect(viaSocket).toMatchObject({ code: 0, stderr: '' });
    expect(viaSocket.stdout).toBe((await docker('images', '--format', '{{.ID}}', source)).stdout);
    expect((await stat(socket)).mode & 0o777).toBe(0o660);
  });
});

describe('skopeo with docker-daemon: against Stevedore', () => {
  // skopeo takes the daemon from its flags (it, too, ignores DOCKER_HOST).
  const skopeo = (...args: string[]) => runCommand('skopeo', ['copy', '-q', ...args], env, 60_000);

  it('copies the image out to an OCI layout and back in under a new name', async () => {
    const layout = join(scratch, 'oci');
    const out = await skopeo(
      '--src-daemon-host',
      stevedore.url,
      `docker-daemon:${source}`,
      `oci:${layout}:copied`,
    );
    expect(out).toMatchObject({ code: 0 });
    const index = JSON.parse(await readFile(join(layout, 'index.json'), 'utf8'));
    expect(index.manifests).toHaveLength(1);
    const back = await skopeo(
      '--dest-daemon-host',
      stevedore.url,
      `oci:${layout}:copied`,
      'docker-daemon:daemon-transport/skopeo:back',
    );
    expect(back).toMatchObject({ code: 0 });
    const original = await identityIn(source);
    const copied = await identityIn('daemon-transport/skopeo:back');
    // An OCI layout rewrites the config's media type, not its diff IDs.
    expect(copied.layers).toEqual(original.layers);
  }, 90_000);
});
