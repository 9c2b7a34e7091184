import {
  GET_IMAGE_V1,
  type ImageListV1,
  type ImageRecord,
  LIST_IMAGES_V1,
} from '@stevedore/contracts';
import type { BuildRequest } from '@stevedore/runtime-http';
import type { Bus } from '@stevedore/messaging';
import { EMPTY_TAR_DIFF_ID, childImageJson, type ParentImage } from '../commit/child-image';
import { goOrdered } from '../commit/commit-config';
import { dockerVersion } from '../commit/container-committer';
import type { ImageWriter } from '../commit/image-writer';
import type { ContainerStore } from '../store/container-store';
import { BuildError } from './build-error';
import { matchSource } from './cache/cache-from';
import { type CachedImage, findCached, isAncestorOrSelf } from './cache/image-cache';
import type { ContextDir } from './context/read-context';
import type { Expander } from './language';
import type { BuildOutput } from './output/build-output';
import type { StageState } from './stage-state';
import { nopCmd, type RunConfig } from './steps/run-config';
import type { StepContainers } from './steps/step-containers';
import type { SourceTree } from './copy/copy-sources';
import { hashInRoot } from './copy/hash-in-root';
import { hostConfigOf } from './host-config';
import { manifestOf, scratchImage } from './images';
import { StageResults } from './stages/stage-results';

export const short = (id: string): string => id.replace(/^sha256:/, '').slice(0, 12);

/** BuildSession is one build's shared state: the request, output, context, cache and containers. */
export class BuildSession {
  step = 0;
  total = 0;
  /** dockerd's `cacheBusted`: after a miss, every later step of the stage runs. */
  cacheBusted = false;
  /** Finished stages, by name and index. */
  readonly stages = new StageResults();
  /** Meta ARGs (before the first FROM) with their values: a stage's bare `ARG x` takes them. */
  readonly metaArgs = new Map<string, string>();
  /** Build args some ARG declared (the others are "not consumed"). */
  readonly usedArgs = new Set<string>();
  private images: CachedImage[] | undefined;
  private cacheFrom: ImageRecord[] | undefined;
  /** Containers of the current step (removed after it, as dockerd's `RemoveAll`). */
  private readonly tracked: string[] = [];
  /** Containers dockerd would not have made (`COPY --from` roots): removed without a word. */
  private readonly silent: string[] = [];
  /** `.dockerignore`'s matcher over context paths. */
  excluded: (rel: string) => boolean = () => false;
  /** `X-Registry-Config` for FROM pulls. Secret: never logged. */
  registryConfig: string | undefined;

  constructor(
    readonly request: BuildRequest,
    readonly out: BuildOutput,
    readonly context: ContextDir,
    readonly expander: Expander,
    readonly signal: AbortSignal,
    readonly deps: {
      bus: Bus;
      writer: ImageWriter;
      containers: StepContainers;
      store: ContainerStore;
    },
  ) {}

  printStep(original: string): void {
    this.step += 1;
    this.out.step(this.step, this.total, original);
  }

  getImage(ref: string): Promise<ImageRecord> {
    return this.deps.bus.send<ImageRecord>(GET_IMAGE_V1, { ref });
  }

  /** probe is dockerd's `probeCache`: a hit moves the stage onto the cached image. */
  async probe(state: StageState, probe: RunConfig): Promise<boolean> {
    if (this.request.noCache || this.cacheBusted) return false;
    this.images ??= (await this.deps.bus.send<ImageListV1>(LIST_IMAGES_V1, {})).images;
    const parent = state.imageId ? state.image : undefined;
    const hit = await this.withCacheFrom(findCached(this.images, parent, probe), parent, probe);
    if (!hit) {
      this.cacheBusted = true;
      return false;
    }
    this.out.text(' ---> Using cache\n');
    await this.moveTo(state, hit);
    return true;
  }

  /**
   * withCacheFrom is dockerd's cache with `--cache-from` images: a local hit counts only on one of
   * their chains; else a source image that is the step itself hits.
   */
  private async withCacheFrom(
    hit: string | undefined,
    parent: ImageRecord | undefined,
    probe: RunConfig,
  ): Promise<string | undefined> {
    if (this.request.cacheFrom.length === 0) return hit;
    this.cacheFrom ??= (
      await Promise.all(
        this.request.cacheFrom.map((ref) => this.getImage(ref).catch(() => undefined)),
      )
    ).filter((i): i is ImageRecord => i !== undefined);
    const sources = this.cacheFrom;
    const image = hit ? this.images?.find((i) => i.id === hit) : undefined;
    if (image && sources.some((source) => isAncestorOrSelf(image, source))) return hit;
    const match = matchSource(sources, parent, probe, (i) => manifestOf(i).layers);
    if (!match) return undefined;
    if (match.kind === 'self') return match.source.id;
    // dockerd's restoreCachedImage, then only that source for the rest of the build.
    this.cacheFrom = [match.source];
    const base = manifestOf(parent ?? scratchImage());
    return this.deps.writer.write({
      parent: { ...base, layers: match.layers },
      configJson: match.configJson,
    });
  }

  /** moveTo makes `id` the stage's image (dockerd's `imageID` and `updateRunConfig`). */
  async moveTo(state: StageState, id: string): Promise<void> {
    state.image = await this.getImage(id);
    state.config['Image'] = id;
    if (this.images && !this.images.some((i) => i.id === id)) this.images.push(state.image);
  }

  /**
   * commitNop is dockerd's `commit` of a metadata-only step: the nop Cmd is the cache key; on a
   * miss an image with an empty layer is written (its container was never started, so nothing
   * changed) under the ID of the container dockerd would have made.
   */
  async commitNop(state: StageState, comment: string): Promise<void> {
    const probe = goOrdered({ ...state.config, Cmd: nopCmd(state.config, comment) });
    if (await this.probe(state, probe)) return;
    const containerId = await this.nopContainer(state, probe);
    this.out.text(` ---> Running in ${short(containerId)}\n`);
    const parent = JSON.parse(state.image.configJson || '{}') as ParentImage;
    const configJson = childImageJson(parent, {
      containerId,
      containerConfig: goOrdered({
        ...probe,
        Hostname: short(containerId),
        Labels: probe['Labels'] ?? {},
      }),
      config: goOrdered(state.config),
      author: state.maintainer,
      diffId: EMPTY_TAR_DIFF_ID,
      created: new Date().toISOString(),
      dockerVersion: dockerVersion(),
    });
    const id = await this.deps.writer.write({ parent: manifestOf(state.image), configJson });
    this.removed(containerId);
    await this.moveTo(state, id);
  }

  /**
   * nopContainer is the container dockerd makes (and never starts) for a metadata step. With
   * `rm` it would be removed at once, so none is made, only its ID; without, it is left behind
   * as dockerd leaves it.
   */
  private async nopContainer(state: StageState, probe: RunConfig): Promise<string> {
    if (this.request.rm || this.request.forceRm) return this.deps.store.newId();
    const record = await this.deps.containers.create(state.image, probe, this.hostConfig());
    return record.id;
  }

  /** removed says an intermediate container went, as dockerd does when `rm` is on. */
  removed(id: string): void {
    if (this.request.rm || this.request.forceRm)
      this.out.text(`Removing intermediate container ${short(id)}\n`);
  }

  track(id: string): void {
    this.tracked.push(id);
  }

  /** untrack removes one container now (COPY's, which dockerd never shows). */
  async untrack(id: string, print: boolean): Promise<void> {
    const at = this.tracked.indexOf(id);
    if (at >= 0) this.tracked.splice(at, 1);
    await this.deps.containers.remove(id);
    if (print) this.removed(id);
  }

  /**
   * afterStep is dockerd's deferred `RemoveAll`: after a step, its containers go when `rm` (or
   * `forcerm`) is on. After a failure they go too (the issue asks for it; dockerd keeps them
   * unless `forcerm`), but only `forcerm` prints it, as dockerd does.
   */
  async afterStep(failed: boolean): Promise<void> {
    for (const id of this.silent.splice(0))
      await this.deps.containers.remove(id).catch(() => undefined);
    const cancelled = this.signal.aborted;
    if (!this.request.rm && !this.request.forceRm && !cancelled) return;
    for (const id of this.tracked.splice(0)) {
      await this.deps.containers.remove(id).catch(() => undefined);
      if (!failed || this.request.forceRm) this.removed(id);
    }
  }

  /** commitStep commits a step's container through the one commit path and moves onto it. */
  async commitStep(state: StageState, containerId: string, probe: RunConfig, shown: string) {
    const id = await this.deps.containers.commit(this.deps.store.get(containerId), {
      parent: state.image,
      config: goOrdered(state.config),
      containerConfig: shown ? goOrdered({ ...probe, Hostname: short(shown) }) : probe,
      containerId: shown,
      author: state.maintainer,
      pause: false,
    });
    await this.moveTo(state, id);
  }

  contextTree(): SourceTree {
    const sums = this.context.sums;
    return {
      root: this.context.root,
      hash: async (rel) => sums.get(rel) ?? rel,
      excluded: (rel) => this.excluded(rel),
    };
  }

  /** treeOf is `COPY --from`'s source: a stage (name or index) or an image, as a root. */
  async treeOf(from: string): Promise<SourceTree> {
    const invalid = (err: unknown) => {
      const why = err instanceof Error ? err.message : String(err);
      return new BuildError(`invalid from flag value ${from}: ${why}`);
    };
    let stage: ImageRecord | undefined;
    try {
      stage = this.stages.get(from);
    } catch (err) {
      throw invalid(err);
    }
    const image =
      stage ??
      (await this.getImage(from).catch((err: unknown) => {
        throw invalid(err);
      }));
    const record = await this.deps.containers.create(image, { Cmd: ['true'] }, this.hostConfig());
    this.silent.push(record.id);
    const root = await this.deps.containers.root(record);
    return { root, hash: (rel) => hashInRoot(root, rel), excluded: () => false };
  }

  hostConfig(): Record<string, unknown> {
    return hostConfigOf(this.request);
  }
}
