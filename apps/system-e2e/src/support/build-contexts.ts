import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { CommandResult } from './app-process';

/** A build context: file paths (relative) and their contents. */
export type Context = Record<string, string>;

/**
 * buildContexts are the Dockerfiles issue 12 names, written against `base` (the busybox fixture:
 * every applet, only /bin). Issue 12's centos example becomes `runoob`: busybox-static has no
 * adduser, so the user is added the way useradd would, by its passwd line and home.
 */
export function buildContexts(base: string) {
  return {
    runoob: {
      Dockerfile: [
        `FROM ${base}`,
        'MAINTAINER Fisher "fisher@sudops.com"',
        "RUN mkdir -p /tmp && echo 'root:123456' > /tmp/pw",
        "RUN mkdir -p /etc /home/runoob && echo 'runoob:x:1000:1000::/home/runoob:/bin/sh' >> /etc/passwd",
        'EXPOSE 22',
        'EXPOSE 80',
        'CMD echo "runoob says hi"',
      ].join('\n'),
    },
    multiStage: {
      Dockerfile: [
        `FROM ${base} AS builder`,
        'RUN mkdir -p /out && echo built > /out/artifact',
        `FROM ${base}`,
        'COPY --from=builder /out/artifact /artifact',
        'CMD ["cat", "/artifact"]',
      ].join('\n'),
    },
    buildArgs: {
      Dockerfile: [
        `FROM ${base}`,
        'ARG GREETING=hello',
        'ARG WHO',
        'ENV MSG="$GREETING $WHO"',
        'RUN echo "$GREETING, $WHO" > /greeting',
        'CMD cat /greeting',
      ].join('\n'),
    },
    dockerignore: {
      Dockerfile: `FROM ${base}\nCOPY . /ctx/\nCMD find /ctx -type f\n`,
      '.dockerignore': '*.log\nsecret/\n!keep.log\n',
      'a.txt': 'a\n',
      'x.log': 'x\n',
      'keep.log': 'k\n',
      'secret/s.txt': 's\n',
    },
    onbuildParent: { Dockerfile: `FROM ${base}\nONBUILD RUN echo triggered > /onbuild.txt\n` },
    onbuildChild: { Dockerfile: 'FROM onbuild-parent\nCMD cat /onbuild.txt\n' },
    copyCache: {
      Dockerfile: `FROM ${base}\nCOPY data.txt /data.txt\nRUN cp /data.txt /copy.txt\n`,
      'data.txt': 'one\n',
    },
    config: {
      Dockerfile: [
        `FROM ${base}`,
        'LABEL org.example.team="build" version=1',
        'ENV APP_HOME=/srv/app MODE=test',
        'WORKDIR $APP_HOME',
        'RUN echo "$MODE" > mode.txt',
        'USER 1001',
        'EXPOSE 8080/tcp 53/udp',
        'ENTRYPOINT ["/bin/sh", "-c"]',
        'CMD ["cat mode.txt"]',
      ].join('\n'),
    },
    failingRun: { Dockerfile: `FROM ${base}\nRUN echo about to fail && false\n` },
    sleeping: { Dockerfile: `FROM ${base}\nRUN sleep 60\n` },
    unknownInstruction: { Dockerfile: `FROMM ${base}\n` },
    outsideContext: { Dockerfile: `FROM ${base}\nCOPY ../x /x\n` },
    stageOutOfBounds: { Dockerfile: `FROM ${base} AS a\nCOPY --from=5 /a /b\n` },
    noDockerfile: { 'x.txt': 'no Dockerfile here\n' },
  } satisfies Record<string, Context>;
}

export type ContextName = keyof ReturnType<typeof buildContexts>;

/** writeContext writes `context` under `dir` (made fresh) and returns `dir`. */
export async function writeContext(dir: string, context: Context): Promise<string> {
  for (const [path, content] of Object.entries(context)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), content);
  }
  return dir;
}

/** The CLI 28's notice that it falls back to the classic builder (no buildx here), on stderr. */
export const LEGACY_NOTICE =
  'DEPRECATED: The legacy builder is deprecated and will be removed in a future release.\n' +
  '            Install the buildx component to build images with BuildKit:\n' +
  '            https://docs.docker.com/go/buildx/\n\n';

/** withoutNotice is a build's stderr less the legacy builder notice (which it must start with). */
export function withoutNotice(result: CommandResult): string {
  return result.stderr.startsWith(LEGACY_NOTICE)
    ? result.stderr.slice(LEGACY_NOTICE.length)
    : `(no legacy builder notice) ${result.stderr}`;
}

/** stepLines are a build's `Step n/m : …` lines, in order. */
export function stepLines(stdout: string): string[] {
  return stdout.split('\n').filter((line) => /^Step \d+\/\d+ : /.test(line));
}

/** maskIds hides the IDs two builds (or two daemons) give differently: images and containers. */
export function maskIds(text: string): string {
  return text
    .replace(/sha256:[0-9a-f]{64}/g, 'sha256:<id>')
    .replace(/\b[0-9a-f]{12}\b/g, '<id>')
    .replace(/(Sending build context to Docker daemon)\s+\S+/g, '$1 <size>');
}
