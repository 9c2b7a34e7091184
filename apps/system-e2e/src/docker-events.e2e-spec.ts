import { execFileSync } from 'node:child_process';
import { skipNote } from './support/skip-note';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Fixtures, RegistryHandle, pushFixtures, startRegistry } from '@stevedore/testing';
import { CommandResult, killAllApps, runCommand } from './support/app-process';
import { EventsWatcher, watchEvents } from './support/events-watcher';
import { Topology, startCluster, startEmbedded } from './support/topology';

// Issue 13, item 6: `docker events`. Image events (pull, tag, untag, delete, save, load) made
// through one gateway reach `docker events` on every gateway: in the cluster the commands go to
// the second gateway replica and the events are read from the first (a fanout over RabbitMQ).
const DOCKER = '/usr/local/bin/docker';
// docker-py as the test machine has it: Debian's python3-docker, or one on a pyenv python; the
// docker-py test is skipped where there is none.
const PYTHON = [
  process.env['STEVEDORE_PYTHON'],
  '/usr/bin/python3',
  'python3',
  `${process.env['HOME'] ?? '/root'}/.pyenv/shims/python3`,
].find((python) => {
  try {
    if (python) execFileSync(python, ['-c', 'import docker'], { stdio: 'ignore' });
    return python !== undefined;
  } catch {
    return false;
  }
});

let registry: RegistryHandle;
let fixtures: Fixtures;
let scratch: string;

beforeAll(async () => {
  registry = await startRegistry();
  fixtures = await pushFixtures(registry);
  scratch = await mkdtemp(join(tmpdir(), 'stevedore-e2e-events-'));
}, 180_000);

afterAll(async () => {
  await killAllApps();
  await registry?.stop();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

describe.each([
  ['embedded', () => startEmbedded()],
  ['cluster', () => startCluster({ replicas: { gateway: 2 } })],
] as const)('docker events against the %s topology', (name, start) => {
  let stevedore: Topology;
  let env: Record<string, string>;
  let watcher: EventsWatcher | undefined;
  const at = (url: string) => ({ ...env, DOCKER_HOST: url.replace(/^http:/, 'tcp:') });
  const reader = (): string => stevedore.urls[0] as string;
  const actor = (): string => stevedore.urls.at(-1) as string;
  const docker = (url: string, ...args: string[]): Promise<CommandResult> =>
    runCommand(DOCKER, args, at(url));

  beforeAll(async () => {
    stevedore = await start();
    env = { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: scratch, DOCKER_CONFIG: scratch };
    watcher = await watchEvents(at(reader()));
  }, 180_000);

  afterAll(async () => {
    watcher?.stop();
    await stevedore?.stop();
  });

  it('streams the events of a pull, tag, rmi, save and load made through another gateway', async () => {
    const ref = fixtures.busybox.reference;
    const id = fixtures.busybox.configDigest as string;
    const tar = join(scratch, `${name}.tar`);
    expect((await docker(actor(), 'pull', '-q', ref)).code).toBe(0);
    expect((await docker(actor(), 'tag', ref, 'e2e/events:1')).code).toBe(0);
    expect((await docker(actor(), 'rmi', 'e2e/events:1')).code).toBe(0);
    expect((await docker(actor(), 'save', '-o', tar, ref)).code).toBe(0);
    expect((await docker(actor(), 'load', '-i', tar)).code).toBe(0);
    const wanted = ['pull', 'tag', 'untag', 'save', 'load'];
    const events = await (watcher as EventsWatcher).until((seen) =>
      wanted.every((a) => seen.some((e) => e.Action === a)),
    );
    expect(events.map((e) => e.Action)).toEqual(wanted);
    const [pull, tag, untag] = events;
    expect(pull).toMatchObject({ status: 'pull', id: ref, Type: 'image', scope: 'local' });
    expect(pull?.Actor).toEqual({ ID: ref, Attributes: { name: ref.replace(/:latest$/, '') } });
    expect(tag?.Actor).toEqual({ ID: id, Attributes: { name: 'e2e/events:1' } });
    expect(untag?.Actor).toEqual({ ID: id, Attributes: { name: id } });
    expect(String(pull?.timeNano)).toMatch(new RegExp(`^${pull?.time}\\d{9}$`));
  });

  it('`docker events --since 1m --until 0s` prints past events and exits, filtered', async () => {
    // The CLI sends `--until 0s` as whole seconds (as dockerd's own CLI does): the events must
    // be in a second that has passed.
    await new Promise((done) => setTimeout(done, 1100));
    const result = await docker(
      reader(),
      ...['events', '--since', '1m', '--until', '0s', '--filter', 'event=tag'],
      ...['--format', '{{.Action}} {{.Actor.Attributes.name}}'],
    );
    expect(result).toMatchObject({ code: 0, stdout: 'tag e2e/events:1\n' });
    const images = await docker(
      reader(),
      ...['events', '--since', '1m', '--until', '0s', '--filter', 'image=e2e/events'],
      ...['--format', '{{.Action}}'],
    );
    expect(images.stdout).toBe('tag\n');
  });

  (PYTHON ? it : it.skip)(
    `docker-py \`events(decode=True)\` yields the same events${skipNote(Boolean(PYTHON), 'python3 with docker-py not found')}`,
    async () => {
      const script = `
import docker, json, sys, time
c = docker.APIClient(base_url=sys.argv[1])
now = time.time()
for e in c.events(since=now - 60, until=now, decode=True, filters={'type': 'image'}):
    print(e['Action'])
`;
      const result = await runCommand(PYTHON as string, ['-c', script, reader()], {
        ...process.env,
        ...env,
      } as Record<string, string>);
      expect(result.stderr).toBe('');
      expect(result.stdout).toBe('pull\ntag\nuntag\nsave\nload\n');
    },
  );
});
