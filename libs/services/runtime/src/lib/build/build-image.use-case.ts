import { Inject, Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { TAG_IMAGE_V1 } from '@stevedore/contracts';
import type { Dockerfile, KeyValueInstruction, Stage } from '@stevedore/dockerfile';
import { DomainError, isDomainError, parseReference } from '@stevedore/domain';
import { Bus } from '@stevedore/messaging';
import type { BuildContext, BuildRequest, ImageBuilder } from '@stevedore/runtime-http';
import { resolveInRoot } from '@stevedore/snapshots';
import { ImageWriter } from '../commit/image-writer';
import { ContainerStore } from '../store/container-store';
import { RUNTIME_DATA_ROOT } from '../support/tokens';
import { baseImage } from './base-image';
import { BuildError } from './build-error';
import { BuildSession, short } from './build-session';
import { readContext } from './context/read-context';
import { dispatch, runTriggers } from './dispatch';
import { Expander, ignoreMatcher, parseDockerfile } from './language';
import { BuildOutput } from './output/build-output';
import { BUILTIN_ARGS, StageState } from './stage-state';
import { StepContainers } from './steps/step-containers';

/**
 * BuildImageUseCase is `docker build` with dockerd 20.10's classic builder: the context is
 * unpacked, the Dockerfile parsed, the stages run step by step (cache probes, containers for
 * RUN/COPY/WORKDIR, nop commits for the rest) and the result tagged. Failures before the first
 * output byte reject (the gateway answers them with a status); later ones end the stream.
 */
@Injectable()
export class BuildImageUseCase implements ImageBuilder {
  constructor(
    private readonly bus: Bus,
    private readonly writer: ImageWriter,
    private readonly containers: StepContainers,
    private readonly store: ContainerStore,
    @Inject(RUNTIME_DATA_ROOT) private readonly dataRoot: string,
  ) {}

  async build(
    request: BuildRequest,
    context: BuildContext,
    signal: AbortSignal,
  ): Promise<Readable> {
    const out = new BuildOutput(request.quiet);
    const running = this.run(request, context, signal, out);
    running.catch(() => undefined);
    await Promise.race([out.whenStarted(), running]);
    return out.stream as Readable;
  }

  private async run(r: BuildRequest, c: BuildContext, signal: AbortSignal, out: BuildOutput) {
    const dir = join(this.dataRoot, 'runtime', 'builds', randomBytes(8).toString('hex'));
    try {
      const session = await this.session(r, c, signal, out, dir);
      await this.runStages(session);
    } catch (err) {
      if (!out.hasStarted) throw err;
      const message = err instanceof Error ? err.message : String(err);
      out.error(message, err instanceof BuildError ? err.code : undefined);
      out.end();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  private async session(
    r: BuildRequest,
    c: BuildContext,
    signal: AbortSignal,
    out: BuildOutput,
    dir: string,
  ): Promise<{ session: BuildSession; dockerfile: Dockerfile }> {
    if (r.remote)
      throw DomainError.unsupported(
        `unable to prepare context: remote contexts are not supported by this builder (${r.remote})`,
      );
    const context = await readContext(c.body, join(dir, 'context'));
    const text = context.bareDockerfile ?? (await readInContext(context.root, r.dockerfile));
    const dockerfile = parseDockerfile(text, { name: r.dockerfile });
    const deps = {
      bus: this.bus,
      writer: this.writer,
      containers: this.containers,
      store: this.store,
    };
    const session = new BuildSession(
      r,
      out,
      context,
      new Expander(dockerfile.escape),
      signal,
      deps,
    );
    session.registryConfig = c.registryConfig;
    const ignore = await readFile(join(context.root, '.dockerignore'), 'utf8').catch(() => '');
    if (ignore) session.excluded = ignoreMatcher(ignore);
    return { session, dockerfile };
  }

  private async runStages({
    session: s,
    dockerfile,
  }: {
    session: BuildSession;
    dockerfile: Dockerfile;
  }) {
    const stages = selectStages(dockerfile, s.request.target);
    const labels = labelSteps(s.request.labels);
    s.total =
      dockerfile.metaArgs.length +
      stages.reduce((n, st) => n + 1 + st.instructions.length, 0) +
      labels.length;
    for (const w of dockerfile.warnings) s.out.text(w.endsWith('\n') ? w : `${w}\n`);
    const meta = s.metaArgs;
    for (const arg of dockerfile.metaArgs) {
      s.printStep(arg.original);
      for (const a of arg.args) {
        const given = s.request.buildArgs[a.name];
        const value =
          given ??
          (a.defaultValue === undefined ? undefined : s.expander.word(a.defaultValue, meta));
        if (value !== undefined && value !== null) meta.set(a.name, value);
        s.usedArgs.add(a.name);
      }
    }
    let last: StageState | undefined;
    for (const [i, stage] of stages.entries()) {
      const extra = i === stages.length - 1 ? labels : [];
      last = await this.stage(s, stage, meta, extra);
    }
    const unused = Object.keys(s.request.buildArgs)
      .filter((k) => !s.usedArgs.has(k) && !BUILTIN_ARGS.includes(k))
      .sort();
    if (unused.length)
      s.out.text(`[Warning] One or more build-args [${unused.join(' ')}] were not consumed\n`);
    if (!last?.imageId) throw new BuildError('No image was generated. Is your Dockerfile empty?');
    await this.finish(s, last.imageId);
  }

  private async stage(
    s: BuildSession,
    stage: Stage,
    meta: Map<string, string>,
    extra: KeyValueInstruction[],
  ) {
    s.printStep(stage.from.original);
    s.cacheBusted = false;
    const image = await baseImage(s, s.expander.word(stage.from.image, meta));
    const st = new StageState(image, s.request.buildArgs, stage.from.stageName);
    st.config['Image'] = image.id;
    await runTriggers(s, st);
    s.out.text(` ---> ${short(st.imageId)}\n`);
    for (const inst of [...stage.instructions, ...extra]) {
      s.printStep(inst.original);
      await dispatch(s, st, inst);
      s.out.text(` ---> ${short(st.imageId)}\n`);
    }
    if (st.imageId) s.out.aux(st.imageId);
    s.stages.add(stage.from.stageName, st.image);
    return st;
  }

  private async finish(s: BuildSession, id: string): Promise<void> {
    s.out.text(`Successfully built ${short(id)}\n`);
    for (const tag of s.request.tags) {
      const ref = parseReference(tag).normalized();
      await this.bus.send(TAG_IMAGE_V1, { id, tag: ref.toString() });
      s.out.text(`Successfully tagged ${ref.familiar()}\n`);
    }
    s.out.done(id);
  }
}

/** selectStages keeps the stages up to `target` (dockerd's words when there is none). */
function selectStages(dockerfile: Dockerfile, target: string | undefined): readonly Stage[] {
  if (!target) return dockerfile.stages;
  const at = dockerfile.stages.findIndex((st) => st.from.stageName === target.toLowerCase());
  if (at < 0)
    throw DomainError.invalidArgument(`failed to reach build target ${target} in Dockerfile`);
  return dockerfile.stages.slice(0, at + 1);
}

/** labelSteps are the request's `labels`, one LABEL step each, sorted (dockerd's `buildLabelOptions`). */
function labelSteps(labels: Readonly<Record<string, string>>): KeyValueInstruction[] {
  return Object.keys(labels)
    .sort()
    .map((k) => ({
      kind: 'LABEL',
      line: 0,
      original: `LABEL ${k}=${labels[k] ?? ''}`,
      pairs: [[quoteWord(k), quoteWord(labels[k] ?? '')]],
    }));
}

/** quoteWord keeps a value literal through the expander (dockerd adds these labels unexpanded). */
function quoteWord(value: string): string {
  return `'${value.replace(/'/g, `'"'"'`)}'`;
}

async function readInContext(root: string, name: string): Promise<string> {
  const path = await resolveInRoot(root, name);
  return readFile(path, 'utf8').catch((err: unknown) => {
    if (isDomainError(err)) throw err;
    throw DomainError.internal(`Cannot locate specified Dockerfile: ${name}`);
  });
}
