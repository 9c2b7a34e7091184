import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ImageRecord } from '@stevedore/contracts';
import { RegistryHandle, startRegistry } from '@stevedore/testing';
import { killAllApps, runCommand } from './support/app-process';
import { FamilyImage, pushImageFamily } from './support/image-family';
import { Topology, startCluster, startEmbedded } from './support/topology';

const DOCKER = '/usr/local/bin/docker';
const PULLS = 20;
/** Waves of 20 concurrent pulls: an image the loop removed is pulled again by the next wave. */
const WAVES = 5;
/** The removal loop stops when the pulls are done, and after this many rounds in any case. */
const MAX_ROUNDS = 150;

let registry: RegistryHandle;
let family: FamilyImage[];
const refOf = (i: number) => family[i]?.reference ?? '';
let home: string;

beforeAll(async () => {
  registry = await startRegistry();
  // 20 images on two shared base layers, each with one layer of its own.
  family = await pushImageFamily(registry.host, 'gc/race', PULLS);
  home = await mkdtemp(join(tmpdir(), 'stevedore-e2e-gc-'));
}, 180_000);

afterAll(async () => {
  await killAllApps();
  await registry?.stop();
  if (home) await rm(home, { recursive: true, force: true });
});

/** blobsOf lists every blob an image record refers to: manifests, indexes, config, layers. */
function blobsOf(image: ImageRecord): string[] {
  const blobs = image.manifests.flatMap((m) => [
    m.digest,
    ...(m.indexDigest ? [m.indexDigest] : []),
    m.config.digest,
    ...m.layers.map((l) => l.digest),
  ]);
  return [...new Set(blobs)];
}

/** sha256 of a file, or undefined when it does not exist. */
function fileDigest(path: string): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(path)
      .on('data', (chunk) => hash.update(chunk))
      .on('end', () => resolve(`sha256:${hash.digest('hex')}`))
      .on('error', (err: NodeJS.ErrnoException) =>
        err.code === 'ENOENT' ? resolve(undefined) : reject(err),
      );
  });
}

describe.each([
  ['embedded', () => startEmbedded()],
  ['cluster', () => startCluster()],
] as const)('garbage collection racing pulls against the %s topology', (_name, start) => {
  let stevedore: Topology;
  let env: Record<string, string>;
  const failedPulls: string[] = [];
  const docker = (...args: string[]) => runCommand(DOCKER, args, env);

  beforeAll(async () => {
    stevedore = await start();
    env = {
      PATH: process.env['PATH'] ?? '/usr/bin:/bin',
      HOME: home,
      DOCKER_CONFIG: home,
      DOCKER_HOST: stevedore.url.replace(/^http:/, 'tcp:'),
    };
  }, 180_000);

  afterAll(async () => stevedore?.stop());

  /** The record of `ref` (native API: it names every blob), or undefined once it is gone. */
  async function recordOf(ref: string): Promise<ImageRecord | undefined> {
    const res = await fetch(`${stevedore.url}/api/v1/images/${ref}`);
    if (res.status === 404) return undefined;
    expect(res.status).toBe(200);
    return (await res.json()) as ImageRecord;
  }

  /** The blobs of `image` that are missing from the store or do not hash to their name. */
  async function brokenBlobs(image: ImageRecord): Promise<string[]> {
    const broken: string[] = [];
    for (const digest of blobsOf(image)) {
      const path = join(stevedore.dataRoot, 'content', 'blobs', 'sha256', digest.slice(7));
      if ((await fileDigest(path)) !== digest) broken.push(digest);
    }
    return broken;
  }

  /**
   * A violation, checked right when a pull succeeded: the image is still recorded (under the same
   * id) after its blobs were found broken. A removal in between is allowed: each image is pulled
   * once per wave, so an image gone at the second look was removed, not lost.
   */
  async function violationAfterPull(reference: string): Promise<string | undefined> {
    const image = await recordOf(reference);
    if (!image) return undefined;
    const broken = await brokenBlobs(image);
    if (broken.length === 0) return undefined;
    const again = await recordOf(image.id);
    return again ? `${reference} (${image.id}) recorded without ${broken.join(', ')}` : undefined;
  }

  /** Pulls over the Engine API; true when the stream ended without an error message. */
  async function pull(image: FamilyImage): Promise<boolean> {
    const [name, tag] = [image.reference.replace(/:v1$/, ''), 'v1'];
    const res = await fetch(
      `${stevedore.url}/v1.50/images/create?fromImage=${encodeURIComponent(name)}&tag=${tag}`,
      { method: 'POST' },
    );
    const body = await res.text();
    const ok = res.status === 200 && !body.includes('"error"');
    if (!ok) failedPulls.push(`${image.reference}: ${res.status} ${body.slice(-300)}`);
    return ok;
  }

  /**
   * Runs `command` in a loop until told to stop (or MAX_ROUNDS); answers how many rounds ran and
   * the stderr of every round whose exit code `ok` refuses.
   */
  async function loop(
    running: () => boolean,
    command: (round: number) => string[],
    ok: (code: number, stderr: string) => boolean,
  ): Promise<[number, string[]]> {
    const failures: string[] = [];
    let rounds = 0;
    for (; running() && rounds < MAX_ROUNDS; rounds += 1) {
      const result = await docker(...command(rounds));
      if (!ok(result.code, result.stderr)) failures.push(result.stderr);
    }
    return [rounds, failures];
  }

  /** docker image prune -a -f, and docker rmi -f of two family images, each in a loop of its own. */
  async function removalLoops(running: () => boolean): Promise<[number, string[]]> {
    const loops = await Promise.all([
      loop(
        running,
        () => ['image', 'prune', '-a', '-f'],
        (code) => code === 0,
      ),
      loop(
        running,
        (n) => ['rmi', '-f', ...[n % PULLS, (n * 7 + 3) % PULLS].map((i) => refOf(i))],
        // rmi -f of an image that is not there (yet) fails with "No such image": that is fine.
        (code, stderr) => code === 0 || stderr.includes('No such image'),
      ),
    ]);
    return [Math.min(...loops.map(([rounds]) => rounds)), loops.flatMap(([, f]) => f)];
  }

  it('loses no blob of a recorded image while prune and rmi race 20 pulls of images sharing layers', async () => {
    // The shared base layers are in the store before the race, as on a busy host.
    expect(await pull(family[0] as FamilyImage)).toBe(true);
    let pulling = true;
    const violations: string[] = [];
    const removals = removalLoops(() => pulling);
    const outcomes: boolean[] = [];
    for (let wave = 0; wave < WAVES; wave += 1) {
      // Within a wave each image is pulled once, which violationAfterPull relies on.
      const pulled = await Promise.all(
        family.map(async (image) => {
          const ok = await pull(image);
          const violation = ok ? await violationAfterPull(image.reference) : undefined;
          if (violation) violations.push(violation);
          return ok;
        }),
      );
      outcomes.push(...pulled);
    }
    pulling = false;
    const [rounds, removalFailures] = await removals;
    const succeeded = outcomes.filter(Boolean).length;
    console.info(`${succeeded}/${outcomes.length} pulls succeeded; ${rounds} removal rounds ran`);
    expect(rounds).toBeGreaterThan(0);
    expect(removalFailures).toEqual([]);
    // A prune or rmi running meanwhile is no reason for a pull to fail (Docker's pulls do not).
    expect(failedPulls).toEqual([]);
    expect(succeeded).toBe(outcomes.length);
    expect(violations).toEqual([]);

    // With the loop stopped: every image still recorded has every blob, verified.
    const listed = (await (await fetch(`${stevedore.url}/v1.50/images/json`)).json()) as {
      Id: string;
    }[];
    for (const { Id } of listed) {
      const inspect = await fetch(`${stevedore.url}/v1.50/images/${Id}/json`);
      expect(inspect.status).toBe(200);
      const image = await recordOf(Id);
      expect(image).toBeDefined();
      expect({ id: Id, broken: await brokenBlobs(image as ImageRecord) }).toEqual({
        id: Id,
        broken: [],
      });
    }
  }, 600_000);
});
