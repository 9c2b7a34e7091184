import { Inject, Injectable } from '@nestjs/common';
import { BLOB_STORE, BlobStore } from '@stevedore/blob-port';
import { RESOLVE_REFERENCE_V1, ResolvedImageV1 } from '@stevedore/contracts';
import { Digest, DomainError, Reference } from '@stevedore/domain';
import { Bus, ContentLeases, HeldContent } from '@stevedore/messaging';

/** How long a resolution may take (registry round trips and token fetches). */
const RESOLVE_TIMEOUT_MS = 120_000;
/** Resolutions tried when a collection takes the documents between resolving and holding them. */
const ATTEMPTS = 3;

/** What a pull resolves to, with everything it names held against garbage collection. */
export interface HeldResolution {
  resolved: ResolvedImageV1;
  content: HeldContent;
}

/**
 * ResolveHeldUseCase resolves a reference (resolver) and holds every blob the image names — index,
 * manifest, config, layers — with a content lease until the pull recorded it, so a collection
 * running meanwhile leaves them alone. The resolver stored the documents before the hold could be
 * taken; they are checked once held, and resolved again when a collection took them in between.
 */
@Injectable()
export class ResolveHeldUseCase {
  constructor(
    private readonly bus: Bus,
    private readonly leases: ContentLeases,
    @Inject(BLOB_STORE) private readonly store: BlobStore,
  ) {}

  /**
   * resolve asks the resolver once, holding nothing; `fresh` has it read and store the documents
   * again rather than answer from what it resolved before.
   */
  resolve(
    ref: Reference,
    platform?: string,
    registryAuth?: string,
    fresh = false,
  ): Promise<ResolvedImageV1> {
    const request = {
      reference: ref.toString(),
      ...(platform ? { platform } : {}),
      ...(registryAuth ? { registryAuth } : {}),
      ...(fresh ? { fresh } : {}),
    };
    return this.bus.send<ResolvedImageV1>(RESOLVE_REFERENCE_V1, request, {
      timeoutMs: RESOLVE_TIMEOUT_MS,
    });
  }

  /** execute resolves and holds; `first` is a resolution the caller has already, used first. */
  async execute(
    ref: Reference,
    platform?: string,
    registryAuth?: string,
    first?: ResolvedImageV1,
  ): Promise<HeldResolution> {
    for (let attempt = 1; attempt <= ATTEMPTS; attempt += 1) {
      // A first answer may come from the resolver's memory; once documents were found missing,
      // they are read and stored again.
      const resolved =
        attempt === 1 && first
          ? first
          : await this.resolve(ref, platform, registryAuth, attempt > 1);
      const content = await this.leases.hold(blobsOf(resolved));
      const present = await this.documentsPresent(resolved).catch(async (err: unknown) => {
        await content.release();
        throw err;
      });
      if (present) return { resolved, content };
      await content.release();
    }
    throw new DomainError('UNAVAILABLE', `the documents of ${ref} kept being garbage-collected`);
  }

  private async documentsPresent(resolved: ResolvedImageV1): Promise<boolean> {
    const documents = [
      resolved.topDigest,
      resolved.manifest.digest,
      resolved.manifest.config.digest,
    ];
    for (const digest of new Set(documents))
      if (!(await this.store.stat(Digest.parse(digest)))) return false;
    return true;
  }
}

function blobsOf(resolved: ResolvedImageV1): string[] {
  const { manifest } = resolved;
  return [
    resolved.topDigest,
    manifest.digest,
    manifest.config.digest,
    ...manifest.layers.map((l) => l.digest),
  ];
}
