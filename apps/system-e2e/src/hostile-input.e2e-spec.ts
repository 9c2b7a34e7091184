import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CommandResult, killAllApps, runCommand } from './support/app-process';
import { nestedJson, writeHostileInputs } from './support/hostile-inputs';
import { Topology, startCluster, startEmbedded } from './support/topology';

const DOCKER = '/usr/local/bin/docker';
/** The most a `/_ping` may take while a hostile input is being processed. */
const PING_BUDGET_MS = 200;

let scratch: string;
let inputs: string;
/** 50 MB of JSON whitespace, written to a file: curl sends it, so the pings' own loop stays idle. */
let hugeBody: string;

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'stevedore-e2e-hostile-'));
  inputs = join(scratch, 'inputs');
  await mkdir(inputs);
  await writeHostileInputs(inputs);
  hugeBody = join(inputs, 'huge.json');
  await writeFile(hugeBody, Buffer.alloc(50 * 1024 * 1024, 0x20));
}, 60_000);

afterAll(async () => {
  await killAllApps();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

/** pingWhile pings `url` every 20 ms until `work` settles; returns its outcome and the slowest ping. */
async function pingWhile<T>(
  url: string,
  work: Promise<T>,
): Promise<{ result: T; slowest: number }> {
  let done = false;
  let slowest = 0;
  const pinging = (async () => {
    while (!done) {
      const started = performance.now();
      const res = await fetch(`${url}/_ping`);
      await res.text();
      slowest = Math.max(slowest, performance.now() - started);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  })();
  try {
    return { result: await work, slowest };
  } finally {
    done = true;
    await pinging;
  }
}

const alive = (pid: number | undefined): boolean => {
  if (pid === undefined) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe.each([
  ['embedded', startEmbedded],
  ['cluster', startCluster],
] as const)('hostile input against the %s topology', (name, start) => {
  let stevedore: Topology;
  let env: Record<string, string>;
  let spool: string;
  const docker = (...args: string[]): Promise<CommandResult> => runCommand(DOCKER, args, env);

  beforeAll(async () => {
    // The processes' own temp dir: where import and load spool, so leftovers can be seen.
    spool = join(scratch, `tmp-${name}`);
    await mkdir(spool);
    const options = { env: { TMPDIR: spool } };
    stevedore = await (name === 'embedded' ? start(undefined, options) : start(options));
    env = {
      PATH: process.env['PATH'] ?? '/usr/bin:/bin',
      HOME: scratch,
      DOCKER_CONFIG: scratch,
      DOCKER_HOST: stevedore.url.replace(/^http:/, 'tcp:'),
    };
  }, 120_000);

  afterAll(async () => stevedore?.stop());

  const listing = async (dir: string) => (await readdir(dir).catch(() => [])).sort();
  const images = async () => (await docker('images', '-q', '--no-trunc')).stdout;
  const ingestDir = () => join(stevedore.dataRoot, 'content', 'ingest');

  /**
   * hostile runs one hostile request and checks what every case must hold: /_ping answered within
   * budget throughout, every process still up, no image recorded, nothing left in the ingest or
   * spool dirs. Returns the request's outcome for its own assertions.
   */
  async function hostile<T>(request: () => Promise<T>): Promise<T> {
    const before = [await images(), await listing(ingestDir()), await listing(spool)];
    const { result, slowest } = await pingWhile(stevedore.url, request());
    expect(slowest).toBeLessThan(PING_BUDGET_MS);
    for (const [proc, app] of stevedore.processes)
      expect([proc, alive(app.pid)]).toEqual([proc, true]);
    expect([await images(), await listing(ingestDir()), await listing(spool)]).toEqual(before);
    return result;
  }

  const postJson = (path: string, body: string | Buffer) =>
    fetch(`${stevedore.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });

  const refused = (result: CommandResult, message: string) => {
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain(message);
  };

  it.each([['rootfs-cut.tar'], ['rootfs-cut.tar.gz']])(
    'refuses an import of %s with unexpected EOF',
    async (file) => {
      refused(await hostile(() => docker('import', join(inputs, file), 'cut:1')), 'unexpected EOF');
    },
  );

  it.each([['archive-cut.tar'], ['archive-cut.tar.gz']])(
    'refuses a load of %s with unexpected EOF',
    async (file) => {
      refused(await hostile(() => docker('load', '-i', join(inputs, file))), 'unexpected EOF');
    },
  );

  it.each([['1-20000'], ['1-65535']])(
    'refuses import --change EXPOSE %s at once',
    async (range) => {
      const result = await hostile(() =>
        docker('import', '--change', `EXPOSE ${range}`, join(inputs, 'rootfs.tar'), 'ports:1'),
      );
      refused(result, `invalid port range: ${range}: at most 10000 ports per range`);
    },
  );

  it('refuses an archive whose index.json names one manifest 5,000 times', async () => {
    const result = await hostile(() => docker('load', '-i', join(inputs, 'index-5000.tar')));
    refused(result, 'invalid archive: more than 1000 image names (tags)');
  });

  it.each([['/v1.50/auth'], ['/api/v1/pulls']])(
    'answers a 50 MB JSON body to %s with 413',
    async (path) => {
      const curl = await hostile(() =>
        runCommand(
          'curl',
          ['-sS', '-H', 'content-type: application/json', '--data-binary', `@${hugeBody}`].concat([
            '-w',
            '\n%{http_code}',
            `${stevedore.url}${path}`,
          ]),
          { PATH: process.env['PATH'] ?? '/usr/bin:/bin' },
        ),
      );
      const [body, status] = curl.stdout.trimEnd().split('\n');
      expect(status).toBe('413');
      expect(JSON.parse(body ?? '')).toEqual({
        message: 'request body too large: at most 1048576 bytes are accepted',
      });
    },
  );

  it.each([['/v1.50/auth'], ['/api/v1/pulls']])(
    'answers JSON nested 10,000 deep to %s with 400',
    async (path) => {
      const res = await hostile(() => postJson(path, nestedJson(10_000)));
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({ message: 'invalid JSON: nested deeper than 256 levels' });
    },
  );
});
