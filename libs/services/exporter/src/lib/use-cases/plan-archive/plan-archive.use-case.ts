import { Inject, Injectable } from '@nestjs/common';
import { SaveImage, planDockerSave } from '@stevedore/archive';
import { BLOB_STORE, BlobReader } from '@stevedore/blob-port';
import {
  ArchivePlanV1,
  GET_IMAGE_V1,
  ImageManifestRecord,
  ImageRecord,
} from '@stevedore/contracts';
import { Digest, DomainError, isDomainError, parseImageConfig } from '@stevedore/domain';
import { Bus } from '@stevedore/messaging';
import { PlanArchiveCommand, SaveTarget } from './plan-archive.command';

/** An image chosen for the archive and the familiar tags it is saved under. */
interface Selection {
  image: ImageRecord;
  tags: string[];
}

/**
 * PlanArchiveUseCase plans a `docker save`: it finds each named image through the metadata
 * service, picks the tags to save as Docker does (a `name[:tag]` saves that tag — a bare name
 * means `:latest`; an ID, ID prefix or `name@digest` saves the image untagged), checks that every
 * blob is in the store, and lists the archive's entries. Nothing is streamed here: every name is
 * validated before the first byte goes out.
 */
@Injectable()
export class PlanArchiveUseCase {
  constructor(
    private readonly bus: Bus,
    @Inject(BLOB_STORE) private readonly store: BlobReader,
  ) {}

  /** execute answers the plan, or NOT_FOUND (`reference does not exist` / `No such image: <name>`) for the first unknown name. */
  async execute(command: PlanArchiveCommand): Promise<ArchivePlanV1> {
    const selected = new Map<string, Selection>();
    for (const target of command.targets) {
      const image = await this.find(target);
      const selection = selected.get(image.id) ?? { image, tags: [] };
      for (const tag of tagsToSave(target, image))
        if (!selection.tags.includes(tag)) selection.tags.push(tag);
      selected.set(image.id, selection);
    }
    const images: SaveImage[] = [];
    for (const { image, tags } of selected.values()) images.push(await this.saveImage(image, tags));
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

  private async saveImage(image: ImageRecord, repoTags: string[]): Promise<SaveImage> {
    const manifest = await this.storedManifest(image);
    const diffIds = diffIdsOf(image);
    return {
      repoTags,
      manifest: { digest: manifest.digest, mediaType: manifest.mediaType, size: manifest.size },
      config: { digest: manifest.config.digest, size: manifest.config.size },
      layers: manifest.layers.map(({ digest, size, mediaType }) => ({ digest, size, mediaType })),
      ...(diffIds ? { diffIds } : {}),
    };
  }

  /** storedManifest picks the first manifest of the image whose every blob the store holds, at its recorded size. */
  private async storedManifest(image: ImageRecord): Promise<ImageManifestRecord> {
    let missing: string | undefined;
    for (const manifest of image.manifests) {
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
