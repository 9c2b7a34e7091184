import { Injectable } from '@nestjs/common';
import { HeadManifestV1, ManifestHeadV1 } from '@stevedore/contracts';
import { parseReference } from '@stevedore/domain';
import { RegistryClient } from '@stevedore/registry-client';

/**
 * HeadManifestUseCase tells the digest a reference names upstream with a `HEAD` (mirrors first
 * for Docker Hub, the stored credentials): cheap enough to revalidate a cached tag, and not a
 * pull under Docker Hub's counting rules.
 */
@Injectable()
export class HeadManifestUseCase {
  constructor(private readonly registry: RegistryClient) {}

  async execute(request: HeadManifestV1): Promise<ManifestHeadV1> {
    const ref = parseReference(request.reference);
    const head = await this.registry.resolve(ref);
    return {
      digest: head.digest.toString(),
      size: head.size,
      ...(head.mediaType ? { mediaType: head.mediaType } : {}),
    };
  }
}
