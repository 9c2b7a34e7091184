import { Injectable } from '@nestjs/common';
import {
  RECORD_IMAGE_V1,
  REMOVE_IMAGE_V1,
  RecordImageResultV1,
  RecordImageV1,
  UNTAG_MANIFEST_V1,
  UntagManifestResultV1,
} from '@stevedore/contracts';
import { Bus } from '@stevedore/messaging';
import { RegistryImages, TaggedManifest } from './registry-images';

/**
 * UntagUseCase removes a tag of a repository, wherever it lives: on an image (the manifest stays
 * reachable by digest, as on the CNCF registry) or on an artifact (which metadata keeps beside
 * the images). It answers whether there was such a tag.
 */
@Injectable()
export class UntagUseCase {
  constructor(
    private readonly images: RegistryImages,
    private readonly bus: Bus,
  ) {}

  async execute(repository: string, tag: string, selfHosts: ReadonlySet<string>): Promise<boolean> {
    const tagged = (await this.images.view(repository, selfHosts)).tags.get(tag);
    if (tagged) await this.untagImage(tagged, tag);
    const request = { repository, tag };
    const artifact = await this.bus.send<UntagManifestResultV1>(UNTAG_MANIFEST_V1, request);
    return tagged !== undefined || artifact.removed;
  }

  /** untagImage: untagging a repository's last tag drops its digest references too, so that one is put back. */
  private async untagImage(tagged: TaggedManifest, tag: string): Promise<void> {
    await this.bus.send(REMOVE_IMAGE_V1, { ref: `${tagged.name}:${tag}`, keepImage: true });
    const keep = keepDigest(tagged);
    if (keep) await this.bus.send<RecordImageResultV1>(RECORD_IMAGE_V1, keep);
  }
}

/** keepDigest is the repo digest that keeps a manifest reachable once its last tag in a repository goes. */
function keepDigest(tagged: TaggedManifest): RecordImageV1 | undefined {
  const { image, digest, name } = tagged;
  const manifest = image.manifests.find((m) => m.digest === digest || m.indexDigest === digest);
  if (!manifest) return undefined;
  const { configJson } = image;
  return { id: image.id, manifest, configJson, repoDigest: `${name}@${digest}` };
}
