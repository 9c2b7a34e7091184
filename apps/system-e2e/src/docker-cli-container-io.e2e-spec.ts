import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CommandResult, killAllApps, runCommand } from './support/app-process';
import { runInPty, runWithInput } from './support/pty';
import { Topology, startEmbedded } from './support/topology';
import { skipNote } from './support/skip-note';

const DOCKER = '/usr/local/bin/docker';
const BUSYBOX = ['/usr/bin/busybox', '/bin/busybox'].find((p) => existsSync(p));
const describeAsRoot = process.getuid?.() === 0 && BUSYBOX ? describe : describe.skip;

/** busyboxTar writes a root of /bin/busybox and its applet links, as an image to import. */
async function busyboxTar(dir: string): Promise<string> {
  const bin = join(dir, 'rootfs', 'bin');
  await mkdir(bin, { recursive: true });
  execFileSync('cp', [BUSYBOX as string, join(bin, 'busybox')]);
  const applets = execFileSync(BUSYBOX as string, ['--list'], { encoding: 'utf8' }).split('\n');
  for (const a of applets.filter((n) => n && n !== 'busybox'))
    await symlink('busybox', join(bin, a));
  execFileSync('tar', ['-C', join(dir, 'rootfs'), '-cf', join(dir, 'busybox.tar'), 'bin']);
  return join(dir, 'busybox.tar');
}

describeAsRoot(
  `container I/O through the docker CLI (embedded topology)${skipNote(process.getuid?.() === 0 && Boolean(BUSYBOX), 'needs root and busybox-static')}`,
  () => {
    let stevedore: Topology;
    let home: string;
    let env: Record<string, string>;
    const image = 'iobox:1';
    const docker = (...args: string[]): Promise<CommandResult> =>
      runCommand(DOCKER, args, env, 60_000);
    const ok = async (...args: string[]): Promise<string> => {
      const result = await docker(...args);
      expect({ args, code: result.code, stderr: result.stderr }).toEqual({
        args,
        code: 0,
        stderr: expect.any(String),
      });
      return result.stdout;
    };

    beforeAll(async () => {
      home = await mkdtemp(join(tmpdir(), 'stevedore-e2e-io-'));
      stevedore = await startEmbedded();
      env = {
        PATH: process.env['PATH'] ?? '/usr/bin:/bin',
        HOME: home,
        DOCKER_CONFIG: home,
        DOCKER_HOST: stevedore.url.replace(/^http:/, 'tcp:'),
      };
      await ok('import', '-c', 'CMD ["sh"]', await busyboxTar(home), image);
      await ok('run', '-d', '--name', 'box', image, 'sleep', '600');
    }, 120_000);

    afterAll(async () => {
      if (env) {
        const ids = (await docker('ps', '-aq')).stdout.split('\n').filter(Boolean);
        if (ids.length > 0) await docker('rm', '-f', ...ids);
      }
      await stevedore?.stop();
      await killAllApps();
      if (home) await rm(home, { recursive: true, force: true });
    }, 60_000);

    it('runs attached: output, exit codes, stdin, and a TTY', async () => {
      expect(await docker('run', '--rm', image, 'echo', 'hi')).toMatchObject({
        code: 0,
        stdout: 'hi\n',
      });
      const failing = await docker('run', '--rm', image, 'sh', '-c', 'echo oops >&2; exit 3');
      expect(failing).toMatchObject({ code: 3, stdout: '', stderr: 'oops\n' });
      const piped = await runWithInput(DOCKER, ['run', '--rm', '-i', image, 'cat'], 'data\n', env);
      expect({ code: piped.code, out: piped.stdout.toString() }).toEqual({
        code: 0,
        out: 'data\n',
      });
      const tty = await runInPty([DOCKER, 'run', '--rm', '-t', image, 'tty'], [], env);
      // Without -i the CLI leaves its terminal cooked: the outer terminal adds its own \r.
      expect(tty.output).toMatch(/^\/dev\/pts\/\d+\r+\n$/);
      expect(tty.code).toBe(0);
    }, 90_000);

    it('execs with -e, -u, -w, its exit code, and dockerd’s 126 for a missing binary', async () => {
      expect(await ok('exec', '-e', 'A=1', 'box', 'sh', '-c', 'echo $A')).toBe('1\n');
      expect(
        await ok('exec', '-u', '1000:1000', '-w', '/bin', 'box', 'sh', '-c', 'id -u; pwd'),
      ).toBe('1000\n/bin\n');
      expect((await docker('exec', 'box', 'sh', '-c', 'exit 7')).code).toBe(7);
      const missing = await docker('exec', 'box', 'nope');
      expect(missing.code).toBe(126);
      expect(missing.stdout + missing.stderr).toContain(
        'OCI runtime exec failed: exec failed: unable to start container process: exec: "nope": executable file not found in $PATH: unknown',
      );
      const tty = await runInPty(
        [DOCKER, 'exec', '-it', 'box', 'sh', '-c', 'tty; exit 4'],
        [],
        env,
      );
      expect(tty.output).toMatch(/\/dev\/pts\/\d+\r\n$/);
      expect(tty.code).toBe(4);
    }, 60_000);

    it('refuses an exec in a stopped container in dockerd’s words', async () => {
      const id = (await ok('create', image, 'true')).trim();
      const refused = await docker('exec', id, 'true');
      expect(refused.code).not.toBe(0);
      expect(refused.stderr).toContain(`Container ${id} is not running`);
    });

    it('shows logs: follow until the exit, --tail, -t and --since', async () => {
      await ok(
        'run',
        '-d',
        '--name',
        'talker',
        image,
        'sh',
        '-c',
        'echo one; echo two >&2; sleep 2; echo three',
      );
      const followed = await docker('logs', '-f', 'talker');
      expect(followed).toMatchObject({ code: 0, stdout: 'one\nthree\n', stderr: 'two\n' });
      expect(await ok('logs', '--tail', '1', 'talker')).toBe('three\n');
      const stamped = (await ok('logs', '-t', 'talker')).split('\n').filter(Boolean);
      expect(stamped).toEqual([
        expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z one$/),
        expect.stringMatching(/^\S+Z three$/),
      ]);
      const since = (stamped[1] as string).split(' ')[0] as string;
      expect(await ok('logs', '--since', since, 'talker')).toBe('three\n');
    }, 60_000);

    it('attaches to a running container and detaches with ctrl-p ctrl-q, leaving it running', async () => {
      await ok('run', '-dit', '--name', 'shell', image, 'sh');
      const session = runInPty(
        [DOCKER, 'attach', 'shell'],
        [
          { afterMs: 1500, input: 'echo attached-$((6*7))\n' },
          { afterMs: 1000, input: '\x10' },
          { afterMs: 300, input: '\x11' },
        ],
        env,
        20_000,
      );
      // docker CLI 28 swallows the keys, closes its side and then waits for the container's exit:
      // the server ends the stream and the container keeps running until it is stopped.
      await new Promise((resolve) => setTimeout(resolve, 5_000));
      expect(await ok('inspect', '-f', '{{.State.Status}}', 'shell')).toBe('running\n');
      await ok('stop', '-t', '1', 'shell');
      const result = await session;
      expect(result.output).toContain('attached-42');
      expect(result.code).not.toBe(-9);
    }, 60_000);

    it('detaches an API client that types custom detach keys, the container still running', async () => {
      await ok('run', '-di', '--name', 'reader', image, 'cat');
      const url = new URL(stevedore.url);
      const socket = new Socket();
      let received = '';
      const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
      socket.on('data', (c: Buffer) => (received += c.toString('latin1')));
      socket.connect(Number(url.port), url.hostname);
      socket.write(
        'POST /v1.41/containers/reader/attach?stream=1&stdin=1&stdout=1&detachKeys=ctrl-a,a HTTP/1.1\r\n' +
          'Host: x\r\nConnection: Upgrade\r\nUpgrade: tcp\r\nContent-Length: 0\r\n\r\n',
      );
      await new Promise((resolve) => setTimeout(resolve, 500));
      socket.write('ping\n');
      await new Promise((resolve) => setTimeout(resolve, 500));
      socket.write('\x01');
      await new Promise((resolve) => setTimeout(resolve, 200));
      socket.write('a');
      await closed;
      expect(received).toContain('101 UPGRADED');
      expect(received).toContain('ping\n');
      expect(await ok('inspect', '-f', '{{.State.Status}}', 'reader')).toBe('running\n');
    }, 30_000);

    it('copies files and directories both ways, and tar streams with -', async () => {
      const src = join(home, 'src');
      await mkdir(join(src, 'dir', 'sub'), { recursive: true });
      await writeFile(join(src, 'file.txt'), 'hello\n');
      await writeFile(join(src, 'dir', 'sub', 'y'), 'why\n');
      await ok('cp', join(src, 'file.txt'), 'box:/file.txt');
      await ok('cp', join(src, 'dir'), 'box:/');
      expect(await ok('exec', 'box', 'cat', '/file.txt', '/dir/sub/y')).toBe('hello\nwhy\n');
      await ok('exec', 'box', 'sh', '-c', 'mkdir -p /made/deep && echo made > /made/deep/f');
      await ok('cp', 'box:/made', join(home, 'back'));
      expect(await readFile(join(home, 'back', 'deep', 'f'), 'utf8')).toBe('made\n');
      const tar = await runWithInput(DOCKER, ['cp', 'box:/file.txt', '-'], '', env);
      expect(execFileSync('tar', ['-t'], { input: tar.stdout, encoding: 'utf8' })).toBe(
        'file.txt\n',
      );
      const upload = execFileSync('tar', ['-C', join(src, 'dir'), '-c', 'sub']);
      await ok('exec', 'box', 'mkdir', '-p', '/up');
      expect((await runWithInput(DOCKER, ['cp', '-', 'box:/up'], upload, env)).code).toBe(0);
      expect(await ok('exec', 'box', 'cat', '/up/sub/y')).toBe('why\n');
    }, 60_000);

    it('keeps docker cp inside the container: ../ and symlinks escape nowhere', async () => {
      const marker = `h6-escape-${process.pid}`;
      await writeFile(join(home, 'payload'), 'payload\n');
      await ok('exec', 'box', 'ln', '-s', '../../../../../../../../', '/esc');
      await ok('cp', join(home, 'payload'), `box:/esc/${marker}`);
      await ok('cp', join(home, 'payload'), `box:/../../../../../${marker}-up`);
      expect(await ok('exec', 'box', 'ls', `/${marker}`, `/${marker}-up`)).toBe(
        `/${marker}\n/${marker}-up\n`,
      );
      expect(existsSync(`/${marker}`) || existsSync(`/${marker}-up`)).toBe(false);
      const hostTop = await readdir(join(stevedore.dataRoot, 'containers'));
      expect(hostTop.some((n) => n.includes(marker))).toBe(false);
      // A tar entry climbing out of the destination is refused.
      execFileSync('python3', [
        '-c',
        `import tarfile,io\nt=tarfile.open('${home}/evil.tar','w')\ni=tarfile.TarInfo('../../../${marker}-tar'); i.size=1\nt.addfile(i,io.BytesIO(b'x')); t.close()`,
      ]);
      const evil = await readFile(join(home, 'evil.tar'));
      const refused = await runWithInput(DOCKER, ['cp', '-', 'box:/up'], evil, env);
      expect(refused.code).not.toBe(0);
      expect(refused.stderr).toContain('is outside of');
      expect(existsSync(`/${marker}-tar`)).toBe(false);
      // Reading through a link to the host's root reads the container's own files.
      const read = await runWithInput(DOCKER, ['cp', 'box:/esc/file.txt', '-'], '', env);
      expect(execFileSync('tar', ['-xO'], { input: read.stdout, encoding: 'utf8' })).toBe(
        'hello\n',
      );
    }, 60_000);

    it('serves a volume’s files at their container path, and refuses a read-only root', async () => {
      const vol = join(home, 'vol');
      await mkdir(vol);
      await ok(
        'run',
        '-d',
        '--read-only',
        '-v',
        `${vol}:/data`,
        '--name',
        'ro',
        image,
        'sleep',
        '600',
      );
      await writeFile(join(home, 'in.txt'), 'in\n');
      await ok('cp', join(home, 'in.txt'), 'ro:/data/');
      expect(await readFile(join(vol, 'in.txt'), 'utf8')).toBe('in\n');
      await ok('cp', 'ro:/data', join(home, 'vol-back'));
      expect(await readFile(join(home, 'vol-back', 'in.txt'), 'utf8')).toBe('in\n');
      const refused = await docker('cp', join(home, 'in.txt'), 'ro:/');
      expect(refused.code).not.toBe(0);
      expect(refused.stderr).toContain('container rootfs is marked read-only');
    }, 60_000);

    it('exports the container’s filesystem as a tar', async () => {
      const exported = await runWithInput(DOCKER, ['export', 'box'], '', env, 60_000);
      const names = execFileSync('tar', ['-t'], { input: exported.stdout, encoding: 'utf8' });
      expect(names.split('\n')).toEqual(expect.arrayContaining(['bin/busybox', 'file.txt']));
    }, 60_000);
  },
);
