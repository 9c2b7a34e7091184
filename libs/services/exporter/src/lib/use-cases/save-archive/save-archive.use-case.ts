import { Inject, Injectable, Logger } from '@nestjs/common';
import { PassThrough, Readable } from 'node:stream';
import { ArchivePlan, SaveImage, planDockerSave, writeArchive } from '@stevedore/archive';
import { BLOB_STORE, BlobReader } from '@stevedore/blob-port';
import { GET_IMAGE_V1, ImageManifestRecord, ImageRecord } from '@stevedore/contracts';
import {
  Digest,
  DomainError,
  Platform,
  formatPlatform,
  isDomainError,
  normalizePlatform,
  parseImageConfig,
} from '@stevedore/domain';
import { Bus } from '@stevedore/messaging';
import { cancelled } from '../../support/abort';
import { SaveArchiveCommand, SaveTarget } from './save-archive.command';

/** An image chosen for the archive and the familiar tags it is saved under. */
interface Selection {
  image: ImageRecord;
  tags: string[];
  /** The image as the first name that chose it says it (moby's `imageFamiliarName`). */
  name: string;
}

/**
 * SaveArchiveUseCase is `docker save`: it finds each named image through the metadata service,
 * picks the tags to save as Docker does (a `name[:tag]` saves that tag — a bare name means
 * `:latest`; an ID, ID prefix or `name@digest` saves the image untagged), checks that every blob
 * is in the store, plans the archive's entries, and only then streams the tar from the store.
 */
@Injectable()
export class SaveArchiveUseCase {
  private readonly logger = new Logger(SaveArchiveUseCase.name);

  constructor(
    private readonly bus: Bus,
    @Inject(BLOB_STORE) private readonly store: BlobReader,
  ) {}

  /**
   * execute resolves with the tar once every name was found (else NOT_FOUND `reference does not
   * exist` / `No such image: <name>` before any byte); the tar is cut short if a blob then fails,
   * and stops being written when `signal` aborts.
   */
  async execute(command: SaveArchiveCommand, signal?: AbortSignal): Promise<Readable> {
    const plan = await this.plan(command);
    if (signal?.aborted) throw cancelled();
    const out = new PassThrough();
    const stop = () => out.destroy(cancelled());
    signal?.addEventListener('abort', stop, { once: true });
    writeArchive(plan, this.store, out)
      .catch((err: unknown) => {
        this.logger.warn({ msg: 'save cut short', error: (err as Error).message });
        out.destroy(err as Error);
      })
      .finally(() => signal?.removeEventListener('abort', stop));
    return out;
  }

  /** plan lists the archive's entries: nothing is streamed until every name checked out. */
  private async plan(command: SaveArchiveCommand): Promise<ArchivePlan> {
    const selected = new Map<string, Selection>();
    for (const target of command.targets) {
      const image = await this.find(target);
      const selection = selected.get(image.id) ?? { image, tags: [], name: familiarName(target) };
      for (const tag of tagsToSave(target, image))
        if (!selection.tags.includes(tag)) selection.tags.push(tag);
      selected.set(image.id, selection);
    }
    const images: SaveImage[] = [];
    for (const { image, tags, name } of selected.values())
      images.push(await this.saveImage(image, tags, name, command.platform));
    return { entries: planDockerSave(images) };
  }

  private async find(target: SaveTarget): Promise<ImageRecord> {
    try {
      return await this.bus.send<ImageRecord>(GET_IMAGE_V1, { ref: target.input });
    } catch (error) {
      if (isDomainError(error) && error.code === 'NOT_FOUND') throw notFound(target);
      throw error;
    }
  }

  private async saveImage(
    image: ImageRecord,
    repoTags: string[],
    name: string,
    platform: Platform | undefined,
  ): Promise<SaveImage> {
    if (platform && !image.manifests.some(isFor(platform))) throw noExportTarget(name, platform);
    const manifest = await this.storedManifest(image, platform);
    const diffIds = diffIdsOf(image);
    return {
      repoTags,
      manifest: { digest: manifest.digest, mediaType: manifest.mediaType, size: manifest.size },
      config: { digest: manifest.config.digest, size: manifest.config.size },
      layers: manifest.layers.map(({ digest, size, mediaType }) => ({ digest, size, mediaType })),
      ...(diffIds ? { diffIds } : {}),
    };
  }

  /** storedManifest picks the first manifest of the image (of `platform`, if given) whose every blob the store holds, at its recorded size. */
  private async storedManifest(
    image: ImageRecord,
    platform: Platform | undefined,
  ): Promise<ImageManifestRecord> {
    const manifests = platform ? image.manifests.filter(isFor(platform)) : image.manifests;
    let missing: string | undefined;
    for (const manifest of manifests) {
      missing = await this.firstMissing([manifest, manifest.config, ...manifest.layers]);
      if (missing === undefined) return manifest;
    }
    const why =
      missing === undefined
        ? 'no manifest of it is recorded'
        : `blob ${missing} is missing from the store`;
    throw DomainError.notFound(`image ${image.id} cannot be saved: ${why}`, { id: image.id });
  }

  private async firstMissing(
    blobs: readonly { digest: string; size: number }[],
  ): Promise<string | undefined> {
    for (const blob of blobs) {
      const info = await this.store.stat(Digest.parse(blob.digest));
      if (!info || info.size !== blob.size) return blob.digest;
    }
    return undefined;
  }
}

/** isFor matches a manifest of exactly `platform`, both normalised (`linux/arm64/v8` is `linux/arm64`). */
function isFor(platform: Platform): (manifest: ImageManifestRecord) => boolean {
  const wanted = formatPlatform(normalizePlatform(platform));
  return (manifest) => formatPlatform(normalizePlatform(manifest.platform)) === wanted;
}

/**
 * noExportTarget is the containerd image store's NOT_FOUND for a save whose image has no manifest
 * of the platform asked (moby's `getPushDescriptor` wrapped by `ExportImage`).
 */
function noExportTarget(name: string, platform: Platform): DomainError {
  const wanted = formatPlatform(normalizePlatform(platform));
  return DomainError.notFound(
    `no suitable export target found for platform ${wanted}: image with reference ${name} ` +
      `was found but does not provide the specified platform (${wanted})`,
    { platform: wanted },
  );
}

/** familiarName is a save target as moby names the image: `busybox:latest`, or the ID as typed. */
function familiarName({ lookup, input }: SaveTarget): string {
  return lookup.kind === 'id' ? input : lookup.reference.normalized().familiar();
}

/** tagsToSave is Docker's rule for which tags of `image` a save of `target` carries (familiar form). */
function tagsToSave(target: SaveTarget, image: ImageRecord): string[] {
  const { lookup } = target;
  if (lookup.kind === 'id' || lookup.reference.digest) return [];
  const wanted = lookup.reference.normalized();
  // A name that only matched as an ID prefix (`docker save 4816fc`) saves the image untagged.
  return image.repoTags.includes(wanted.toString()) ? [wanted.familiar()] : [];
}

/** diffIdsOf reads the config's DiffIDs (they name the top layer in `repositories`); undefined if the config will not parse. */
function diffIdsOf(image: ImageRecord): string[] | undefined {
  try {
    return parseImageConfig(Buffer.from(image.configJson, 'utf8')).config.rootfs.diff_ids.map((d) =>
      d.toString(),
    );
  } catch {
    return undefined; // planDockerSave then names the top layer blob instead
  }
}

/**
 * notFound words a missing image as `docker save` does: a name with an explicit tag or digest is
 * looked up in the reference store (`reference does not exist`), anything else by ID or name
 * (`No such image: <name>`).
 */
function notFound(target: SaveTarget): DomainError {
  const { lookup, input } = target;
  const explicit =
    lookup.kind === 'reference' &&
    (lookup.reference.tag !== undefined || lookup.reference.digest !== undefined);
  return DomainError.notFound(explicit ? 'reference does not exist' : `No such image: ${input}`, {
    ref: input,
  });
}
