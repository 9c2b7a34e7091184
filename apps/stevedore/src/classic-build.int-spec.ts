import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { pack } from 'tar-stream';
import { GET_IMAGE_V1, type ImageRecord, REMOVE_CONTAINER_V1 } from '@stevedore/contracts';
import { type Bus } from '@stevedore/messaging';
import { type BuildRequest, HttpImageBuilder, type ImageBuilder } from '@stevedore/runtime-http';
import { type ContainerStore } from '@stevedore/service-runtime';
import { freePort } from '@stevedore/testing';
import {
  type BuildTestbed,
  buildMessages,
  buildRequest,
  startBuildTestbed,
} from './testing/build-testbed';

type Files = Record<string, string | Buffer | { link: string }>;
type Message = {
  stream?: string;
  aux?: { ID: string };
  error?: string;
  errorDetail?: { code?: number; message: string };
};

const APPLETS = ['sh', 'echo', 'mkdir', 'sleep', 'cat', 'ls', 'true'];

/** contextOf packs files (a symlink as `{ link }`) into a context tar, as the docker CLI sends it. */
async function contextOf(files: Files): Promise<Readable> {
  const p = pack();
  for (const [name, body] of Object.entries(files)) {
    const base = { name, uid: 0, gid: 0, mtime: new Date(1e12) };
    if (typeof body === 'object' && 'link' in body)
      p.entry({ ...base, type: 'symlink', linkname: body.link, mode: 0o777 });
    else p.entry({ ...base, mode: name.startsWith('rootfs/bin/') ? 0o755 : 0o644 }, body);
  }
  p.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of p) chunks.push(chunk as Buffer);
  return Readable.from(Buffer.concat(chunks));
}

const TOKEN = 'classic-build-spec-token-0123456789abcdef';

describe('docker build on the runtime (embedded topology, through IMAGE_BUILDER)', () => {
  let dir: string;
  let testbed: BuildTestbed | undefined;
  let builder: ImageBuilder;
  let port: number;
  let bus: Bus;
  let containers: ContainerStore;

  const request = buildRequest;

  async function build(
    files: Files,
    over: Partial<BuildRequest> = {},
    signal?: AbortSignal,
    via: ImageBuilder = builder,
  ) {
    const body = await contextOf(files);
    const out = await via.build(request(over), { body }, signal ?? new AbortController().signal);
    const messages = (await buildMessages(out)) as Message[];
    const lines = messages.map((m) => m.stream ?? '').join('');
    return { messages, lines };
  }

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'stevedore-build-'));
    port = await freePort();
    testbed = await startBuildTestbed({
      dir,
      internalHttp: { host: '127.0.0.1', port, token: TOKEN },
    });
    ({ builder, bus, containers } = testbed);
    // busybox from Debian's busybox-static, built FROM scratch by the builder itself.
    const rootfs: Files = {
      'rootfs/bin/busybox': await readFile('/bin/busybox'),
      'rootfs/etc/passwd': 'root:x:0:0:root:/root:/bin/sh\n',
      'rootfs/tmp/.keep': '',
    };
    for (const applet of APPLETS) rootfs[`rootfs/bin/${applet}`] = { link: 'busybox' };
    const { lines } = await build(
      { Dockerfile: 'FROM scratch\nCOPY rootfs/ /\nCMD ["sh"]\n', ...rootfs },
      { tags: ['busybox:latest'] },
    );
    expect(lines).toContain('Successfully tagged busybox:latest\n');
  }, 120_000);

  afterAll(async () => {
    await testbed?.close();
    await rm(dir, { recursive: true, force: true });
  });

  const ISSUE = [
    'FROM busybox',
    'MAINTAINER Fisher "fisher@sudops.com"',
    "RUN /bin/echo 'root:123456' > /tmp/pw && echo out && echo err >&2",
    'RUN mkdir -p /home/runoob',
    'EXPOSE 22',
    'EXPOSE 80',
    "CMD /bin/sh -c 'echo hello'",
  ].join('\n');

  it('builds the issue’s Dockerfile with dockerd’s step lines, then all from the cache', async () => {
    const first = await build({ Dockerfile: ISSUE }, { tags: ['runoob/busybox:6.7'] });
    const id = first.messages.find((m) => m.aux)?.aux?.ID ?? '';
    const short = id.slice(7, 19);
    expect(first.messages.find((m) => m.error)).toBeUndefined();
    expect(first.lines).toMatch(
      new RegExp(
        [
          '^Step 1/7 : FROM busybox\\n ---> [0-9a-f]{12}\\n',
          'Step 2/7 : MAINTAINER Fisher "fisher@sudops.com"\\n ---> Running in ([0-9a-f]{12})\\n',
          'Removing intermediate container \\1\\n ---> [0-9a-f]{12}\\n',
          "Step 3/7 : RUN /bin/echo 'root:123456' > /tmp/pw && echo out && echo err >&2\\n",
          ' ---> Running in ([0-9a-f]{12})\\n',
        ].join(''),
      ),
    );
    expect(first.lines).toContain('out\n');
    expect(first.lines).toContain('\u001b[91merr\n\u001b[0m');
    expect(first.lines).toContain("Step 7/7 : CMD /bin/sh -c 'echo hello'\n");
    expect(first.lines).toMatch(
      new RegExp(`Successfully built ${short}\\nSuccessfully tagged runoob/busybox:6.7\\n$`),
    );
    const image = await bus.send<ImageRecord>(GET_IMAGE_V1, { ref: 'runoob/busybox:6.7' });
    expect(image.id).toBe(id);
    const config = JSON.parse(image.configJson) as {
      config: Record<string, unknown>;
      history: { created_by?: string; empty_layer?: boolean; author?: string }[];
    };
    expect(config.config['ExposedPorts']).toEqual({ '22/tcp': {}, '80/tcp': {} });
    expect(config.config['Cmd']).toEqual(['/bin/sh', '-c', "/bin/sh -c 'echo hello'"]);
    const rows = config.history.slice(-6);
    expect(rows.map((h) => h.created_by)).toEqual([
      '/bin/sh -c #(nop)  MAINTAINER Fisher "fisher@sudops.com"',
      "/bin/sh -c /bin/echo 'root:123456' > /tmp/pw && echo out && echo err >&2",
      '/bin/sh -c mkdir -p /home/runoob',
      '/bin/sh -c #(nop)  EXPOSE 22',
      '/bin/sh -c #(nop)  EXPOSE 80',
      `/bin/sh -c #(nop)  CMD ["/bin/sh" "-c" "/bin/sh -c 'echo hello'"]`,
    ]);
    expect(rows.map((h) => h.empty_layer === true)).toEqual([true, false, false, true, true, true]);
    expect(rows.every((h) => h.author === 'Fisher "fisher@sudops.com"')).toBe(true);
    expect(containers.all()).toEqual([]);

    const second = await build({ Dockerfile: ISSUE }, { tags: ['runoob/busybox:6.7'] });
    expect(second.lines.split(' ---> Using cache\n')).toHaveLength(7);
    expect(second.lines).not.toContain('Running in');
    expect(second.messages.find((m) => m.aux)?.aux?.ID).toBe(id);
  });

  it('keys COPY on the content it copies', async () => {
    const dockerfile = 'FROM busybox\nCOPY a.txt /a.txt\nRUN cat /a.txt\n';
    const one = await build({ Dockerfile: dockerfile, 'a.txt': 'one\n' });
    expect(one.lines).toContain('one\n');
    const again = await build({ Dockerfile: dockerfile, 'a.txt': 'one\n' });
    expect(again.lines.split(' ---> Using cache\n')).toHaveLength(3);
    const changed = await build({ Dockerfile: dockerfile, 'a.txt': 'two\n' });
    expect(changed.lines).not.toContain('Using cache');
    expect(changed.lines).toContain('two\n');
  });

  it('ends a failing RUN with dockerd’s error and exit code, leaving no container', async () => {
    const { messages } = await build({ Dockerfile: 'FROM busybox\nRUN nosuchcommand\n' });
    const last = messages[messages.length - 1];
    expect(last?.errorDetail).toEqual({
      code: 127,
      message: "The command '/bin/sh -c nosuchcommand' returned a non-zero code: 127",
    });
    expect(containers.all()).toEqual([]);
  });

  it('stops and removes the running step when the build is cancelled, tagging nothing', async () => {
    const abort = new AbortController();
    const body = await contextOf({ Dockerfile: 'FROM busybox\nRUN sleep 30\n' });
    const out = await builder.build(request({ tags: ['cancelled:1'] }), { body }, abort.signal);
    const started = Date.now();
    let text = '';
    for await (const chunk of out) {
      text += String(chunk);
      if (text.includes('Running in')) abort.abort();
    }
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(containers.all()).toEqual([]);
    await expect(bus.send(GET_IMAGE_V1, { ref: 'cancelled:1' })).rejects.toThrow();
  });

  // The messages a real dockerd 20.10.24 wrote for these two builds, IDs replaced by `<id>`.
  const normalize = (messages: Message[]) =>
    messages.map((m) =>
      JSON.stringify(m)
        .replace(/sha256:[0-9a-f]{64}/g, '<digest>')
        .replace(/[0-9a-f]{12}/g, '<id>'),
    );
  const DOCKERD_PARENT = [
    '{"stream":"Step 1/10 : FROM busybox AS one"}',
    '{"stream":"\\n"}',
    '{"stream":" ---> <id>\\n"}',
    '{"stream":"Step 2/10 : ARG V=1"}',
    '{"stream":"\\n"}',
    '{"stream":" ---> Running in <id>\\n"}',
    '{"stream":"Removing intermediate container <id>\\n"}',
    '{"stream":" ---> <id>\\n"}',
    '{"stream":"Step 3/10 : RUN echo $V > /v"}',
    '{"stream":"\\n"}',
    '{"stream":" ---> Running in <id>\\n"}',
    '{"stream":"Removing intermediate container <id>\\n"}',
    '{"stream":" ---> <id>\\n"}',
    '{"stream":"Step 4/10 : WORKDIR /w"}',
    '{"stream":"\\n"}',
    '{"stream":" ---> Running in <id>\\n"}',
    '{"stream":"Removing intermediate container <id>\\n"}',
    '{"stream":" ---> <id>\\n"}',
    '{"aux":{"ID":"<digest>"}}',
    '{"stream":"Step 5/10 : FROM scratch"}',
    '{"stream":"\\n"}',
    '{"stream":" ---> \\n"}',
    '{"stream":"Step 6/10 : COPY --from=one /v /v"}',
    '{"stream":"\\n"}',
    '{"stream":" ---> <id>\\n"}',
    '{"stream":"Step 7/10 : COPY --from=0 /bin/busybox /bin/"}',
    '{"stream":"\\n"}',
    '{"stream":" ---> <id>\\n"}',
    '{"aux":{"ID":"<digest>"}}',
    '{"stream":"Step 8/10 : FROM busybox"}',
    '{"stream":"\\n"}',
    '{"stream":" ---> <id>\\n"}',
    '{"stream":"Step 9/10 : ONBUILD RUN echo trig"}',
    '{"stream":"\\n"}',
    '{"stream":" ---> Running in <id>\\n"}',
    '{"stream":"Removing intermediate container <id>\\n"}',
    '{"stream":" ---> <id>\\n"}',
    '{"stream":"Step 10/10 : ONBUILD COPY f /f"}',
    '{"stream":"\\n"}',
    '{"stream":" ---> Running in <id>\\n"}',
    '{"stream":"Removing intermediate container <id>\\n"}',
    '{"stream":" ---> <id>\\n"}',
    '{"aux":{"ID":"<digest>"}}',
    '{"stream":"[Warning] One or more build-args [U] were not consumed\\n"}',
    '{"stream":"Successfully built <id>\\n"}',
    '{"stream":"Successfully tagged par:latest\\n"}',
  ];
  const DOCKERD_CHILD = [
    '{"stream":"Step 1/2 : FROM par"}',
    '{"stream":"\\n"}',
    '{"stream":"# Executing 2 build trigger"}',
    '{"stream":"s"}',
    '{"stream":"\\n"}',
    '{"stream":" ---> Running in <id>\\n"}',
    '{"stream":"trig\\n"}',
    '{"stream":"Removing intermediate container <id>\\n"}',
    '{"stream":" ---> <id>\\n"}',
    '{"stream":"Step 2/2 : RUN cat /f /v 2>&1 || true"}',
    '{"stream":"\\n"}',
    '{"stream":" ---> Running in <id>\\n"}',
    // dockerd relays the process's write chunks (here one: `hi\n` and the cat error together);
    // conmon's log hands the runtime whole lines, so the same text comes as one message a line.
    '{"stream":"hi\\n"}',
    '{"stream":"cat: can\'t open \'/v\': No such file or directory\\n"}',
    '{"stream":"Removing intermediate container <id>\\n"}',
    '{"stream":" ---> <id>\\n"}',
    '{"aux":{"ID":"<digest>"}}',
    '{"stream":"Successfully built <id>\\n"}',
  ];

  it('runs stages, build args and ONBUILD triggers as dockerd does, message for message', async () => {
    const parent = [
      'FROM busybox AS one',
      'ARG V=1',
      'RUN echo $V > /v',
      'WORKDIR /w',
      'FROM scratch',
      'COPY --from=one /v /v',
      'COPY --from=0 /bin/busybox /bin/',
      'FROM busybox',
      'ONBUILD RUN echo trig',
      'ONBUILD COPY f /f',
    ].join('\n');
    const built = await build(
      { Dockerfile: parent, f: 'hi\n' },
      { tags: ['par:latest'], buildArgs: { V: '2', U: 'x' }, noCache: true },
    );
    expect(normalize(built.messages)).toEqual(DOCKERD_PARENT);
    const child = await build({ Dockerfile: 'FROM par\nRUN cat /f /v 2>&1 || true\n', f: 'hi\n' });
    expect(normalize(child.messages)).toEqual(DOCKERD_CHILD);
    expect(containers.all()).toEqual([]);
  });

  it('leaves out what .dockerignore excludes, keeping its exceptions', async () => {
    const { lines } = await build({
      Dockerfile: 'FROM busybox\nCOPY . /ctx/\nRUN ls /ctx\n',
      '.dockerignore': '*.log\n!keep.log\n',
      'a.log': 'x',
      'keep.log': 'x',
      'b.txt': 'x',
    });
    expect(lines).toContain('Dockerfile\nb.txt\nkeep.log\n');
  });

  it('unpacks a local archive for ADD and copies it for COPY', async () => {
    const inner = pack();
    inner.entry({ name: 'x/inner.txt', mode: 0o644 }, 'inside\n');
    inner.finalize();
    const chunks: Buffer[] = [];
    for await (const chunk of inner) chunks.push(chunk as Buffer);
    const { lines } = await build({
      Dockerfile:
        'FROM busybox\nADD a.tar.gz /opt/\nCOPY a.tar.gz /raw/\nRUN cat /opt/x/inner.txt; ls /raw\n',
      'a.tar.gz': gzipSync(Buffer.concat(chunks)),
    });
    expect(lines).toContain('inside\na.tar.gz\n');
  });

  it('gives copied files the --chmod mode, keys the cache on it, and refuses a bad one', async () => {
    const files = (mode: string) => ({
      Dockerfile: `FROM busybox\nCOPY --chmod=${mode} dir /d/\nRUN stat -c '%a %n' /d/f /d/sub\n`,
      'dir/f': 'x',
      'dir/sub/g': 'y',
    });
    const first = await build(files('750'));
    expect(first.lines).toContain('750 /d/f\n750 /d/sub\n');
    const other = await build(files('644'));
    expect(other.lines).not.toContain('Using cache');
    expect(other.lines).toContain('644 /d/f\n');
    const again = await build(files('750'));
    expect(again.lines.split(' ---> Using cache\n')).toHaveLength(3);
    const bad = await build(files('9z'));
    expect(bad.messages.at(-1)?.error).toBe(
      'invalid chmod parameter: 9z. it should be octal string and between 0 and 07777',
    );
  });

  it('says only the image ID when quiet', async () => {
    const { messages } = await build({ Dockerfile: 'FROM busybox\nLABEL q=1\n' }, { quiet: true });
    expect(messages).toHaveLength(1);
    expect(messages[0]?.stream).toMatch(/^sha256:[0-9a-f]{64}\n$/);
  });

  it('leaves the step containers with rm=false, as dockerd does, and removes none', async () => {
    const { lines } = await build(
      { Dockerfile: 'FROM busybox\nLABEL a=1\nRUN true\n' },
      { rm: false, noCache: true },
    );
    expect(lines).not.toContain('Removing intermediate container');
    const left = containers.all().map((c) => c.id.slice(0, 12));
    expect(left).toHaveLength(2);
    for (const id of left) expect(lines).toContain(` ---> Running in ${id}\n`);
    for (const id of left) await bus.send(REMOVE_CONTAINER_V1, { id, force: true, volumes: true });
  });

  it('takes cache hits only on the --cache-from images’ chains when some are named', async () => {
    const files = { Dockerfile: 'FROM busybox\nRUN echo a > /a\n' };
    await build(files, { tags: ['cachefrom:a'] });
    const elsewhere = await build(files, { cacheFrom: ['busybox:latest'] });
    expect(elsewhere.lines).toContain('Running in');
    const chained = await build(files, { cacheFrom: ['cachefrom:a'] });
    expect(chained.lines.split(' ---> Using cache\n')).toHaveLength(2);
  });

  describe('over the runtime’s internal endpoint (cluster topology)', () => {
    let remote: HttpImageBuilder;
    beforeAll(() => {
      remote = new HttpImageBuilder(`http://127.0.0.1:${port}`, TOKEN);
    });
    afterAll(() => remote.close());

    it('streams the same build, and hits the cache the embedded build left', async () => {
      const files = { Dockerfile: 'FROM busybox\nRUN echo remote > /r\nCMD ["cat", "/r"]\n' };
      const first = await build(files, { tags: ['remote:1'] }, undefined, builder);
      const again = await build(files, { tags: ['remote:1'] }, undefined, remote);
      expect(again.lines.split(' ---> Using cache\n')).toHaveLength(3);
      expect(again.messages.find((m) => m.aux)?.aux).toEqual(
        first.messages.find((m) => m.aux)?.aux,
      );
      expect(again.lines).toContain('Successfully tagged remote:1\n');
    });

    it('answers an error before the first byte as the runtime’s error', async () => {
      await expect(
        build({ Dockerfile: 'FROM busybox\n' }, { dockerfile: 'nope' }, undefined, remote),
      ).rejects.toThrow('Cannot locate specified Dockerfile: nope');
    });

    it('cancels the build when the caller goes away', async () => {
      const abort = new AbortController();
      const body = await contextOf({ Dockerfile: 'FROM busybox\nRUN sleep 30\n' });
      const out = await remote.build(request({ tags: ['gone:1'] }), { body }, abort.signal);
      const started = Date.now();
      let text = '';
      await (async () => {
        for await (const chunk of out) {
          text += String(chunk);
          if (text.includes('Running in')) abort.abort();
        }
      })().catch(() => undefined);
      // The runtime notices the closed connection, kills and removes the step.
      for (let i = 0; i < 100 && containers.all().length > 0; i++)
        await new Promise((r) => setTimeout(r, 100));
      expect(Date.now() - started).toBeLessThan(20_000);
      expect(containers.all()).toEqual([]);
      await expect(bus.send(GET_IMAGE_V1, { ref: 'gone:1' })).rejects.toThrow();
    });
  });
});
