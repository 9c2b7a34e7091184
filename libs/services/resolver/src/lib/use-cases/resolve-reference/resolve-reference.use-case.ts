import { Inject, Injectable, Logger } from '@nestjs/common';
import { BLOB_STORE, BlobStore, writeBlob } from '@stevedore/blob-port';
import { ImageManifestRecord, ResolveReferenceV1, ResolvedImageV1 } from '@stevedore/contracts';
import {
  Descriptor,
  Platform,
  StoredDocument,
  assertPlatformMatches,
  normalizePlatform,
  parsePlatform,
  parseImageConfig,
  parseReference,
} from '@stevedore/domain';
import {
  PulledManifest,
  RegistryClient,
  clientForRequest,
  defaultPlatform,
} from '@stevedore/registry-client';
import { RecentResolutions } from './recent-resolutions';

/** How long a resolve waits for another resolve writing the same documents. */
const KEEP_WAIT_MS = 2_000;

/**
 * ResolveReferenceUseCase turns what a user typed into one platform's manifest, config and
 * layers. It keeps the small documents it read (index, manifest, config — their original bytes)
 * in the blob store, so the rest of a pull deals in descriptors only. What the reference points at
 * is fetched every time; when this resolver resolved that same document for the same platform
 * before, the rest comes from {@link RecentResolutions} and nothing is kept again, unless the
 * request asks for `fresh` documents (the pull found them collected).
 */
@Injectable()
export class ResolveReferenceUseCase {
  private readonly logger = new Logger(ResolveReferenceUseCase.name);
  private readonly recent = new RecentResolutions();

  constructor(
    private readonly registry: RegistryClient,
    @Inject(BLOB_STORE) private readonly store: BlobStore,
  ) {}

  async execute(request: ResolveReferenceV1): Promise<ResolvedImageV1> {
    const ref = parseReference(request.reference);
    const platform = request.platform
      ? normalizePlatform(parsePlatform(request.platform))
      : defaultPlatform();
    const client = clientForRequest(this.registry, ref.domain, request.registryAuth);
    const top = await client.getManifest(ref);
    const known = request.fresh
      ? undefined
      : this.recent.get(top.digest.toString(), request.platform);
    if (known)
      return { reference: ref.toString(), topDigest: top.digest.toString(), manifest: known };
    const pulled = await client.pullManifest(ref, platform, top);
    const configDescriptor = pulled.manifest.manifest.config;
    const configBytes = await client.readBlob(ref, configDescriptor);
    const config = parseImageConfig(configBytes, {
      expectedDigest: configDescriptor.digest,
      expectedSize: configDescriptor.size,
    });
    // An index was already matched against the platform; a lone manifest is checked by its config.
    if (request.platform && pulled.top.kind === 'manifest')
      assertPlatformMatches(ref.toString(), platform, {
        os: config.config.os,
        architecture: config.config.architecture,
        ...(config.config.variant ? { variant: config.config.variant } : {}),
      });
    await this.keep(unique([pulled.top, pulled.manifest, config]));
    this.logger.debug({
      msg: 'resolved',
      reference: ref.toString(),
      digest: pulled.top.digest.toString(),
    });
    const manifest = manifestRecord(
      pulled,
      config.config.os,
      config.config.architecture,
      config.config.variant,
    );
    this.recent.set(top.digest.toString(), request.platform, manifest);
    return { reference: ref.toString(), topDigest: top.digest.toString(), manifest };
  }

  /**
   * keep stores the documents the store lacks. Those it has (a pull of an image present) cost one
   * existence check each, all at once, rather than an ingest opened and committed one by one.
   */
  private async keep(docs: StoredDocument[]): Promise<void> {
    const stored = await Promise.all(docs.map((doc) => this.store.stat(doc.digest)));
    for (const [i, doc] of docs.entries())
      if (!stored[i]) await writeBlob(this.store, doc, doc.bytes, { maxWaitMs: KEEP_WAIT_MS });
  }
}

function unique(docs: StoredDocument[]): StoredDocument[] {
  return docs.filter((doc, i) => docs.findIndex((d) => d.digest.equals(doc.digest)) === i);
}

function manifestRecord(
  pulled: PulledManifest,
  os: string,
  architecture: string,
  variant: string | undefined,
): ImageManifestRecord {
  const { manifest } = pulled.manifest;
  const platform: Platform = normalizePlatform({
    os,
    architecture,
    ...(variant ? { variant } : {}),
  });
  return {
    digest: pulled.manifest.digest.toString(),
    mediaType: pulled.manifest.mediaType,
    size: pulled.manifest.size,
    ...(pulled.top.kind === 'index' ? { indexDigest: pulled.top.digest.toString() } : {}),
    platform: {
      os: platform.os,
      architecture: platform.architecture,
      ...(platform.variant ? { variant: platform.variant } : {}),
    },
    config: plain(manifest.config),
    layers: manifest.layers.map(plain),
  };
}

function plain(d: Descriptor): { mediaType: string; digest: string; size: number } {
  return { mediaType: d.mediaType, digest: d.digest.toString(), size: d.size };
}
