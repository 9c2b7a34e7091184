import { Inject, Injectable, Logger } from '@nestjs/common';
import { BLOB_STORE, BlobSource, BlobStore, readSmallBlob, writeBlob } from '@stevedore/blob-port';
import { ImageManifestRecord, ResolveReferenceV1, ResolvedImageV1 } from '@stevedore/contracts';
import {
  Descriptor,
  Platform,
  Reference,
  StoredDocument,
  assertPlatformMatches,
  normalizePlatform,
  parsePlatform,
  parseImageConfig,
  parseReference,
} from '@stevedore/domain';
import {
  DEFAULT_MAX_MANIFEST_BYTES,
  FetchedManifest,
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
  /** Config reads in flight here, by digest: concurrent resolves of one image share one. */
  private readonly configReads = new Map<string, Promise<Buffer>>();

  constructor(
    private readonly registry: RegistryClient,
    @Inject(BLOB_STORE) private readonly store: BlobStore,
  ) {}

  async execute(request: ResolveReferenceV1): Promise<ResolvedImageV1> {
    const ref = parseReference(request.reference);
    const client = clientForRequest(this.registry, ref.domain, request.registryAuth);
    const top = await client.getManifest(ref);
    const topDigest = top.digest.toString();
    const known = request.fresh ? undefined : this.recent.get(topDigest, request.platform);
    const manifest = known ?? (await this.resolveAnew(client, ref, top, request.platform));
    if (!known) this.recent.set(topDigest, request.platform, manifest);
    return { reference: ref.toString(), topDigest, manifest };
  }

  /** resolveAnew reads the rest of the image from `top` down, checks it and keeps its documents. */
  private async resolveAnew(
    client: RegistryClient,
    ref: Reference,
    top: FetchedManifest,
    asked: string | undefined,
  ): Promise<ImageManifestRecord> {
    const platform = asked ? normalizePlatform(parsePlatform(asked)) : defaultPlatform();
    const pulled = await client.pullManifest(ref, platform, top);
    const configDescriptor = pulled.manifest.manifest.config;
    // An explicit platform may refuse a lone manifest by its config, and then nothing is kept.
    const checksConfig = !!asked && pulled.top.kind === 'manifest';
    const configBytes = checksConfig
      ? await client.readBlob(ref, configDescriptor)
      : await this.readConfigOnce(client, ref, configDescriptor);
    const parsed = parseImageConfig(configBytes, {
      expectedDigest: configDescriptor.digest,
      expectedSize: configDescriptor.size,
    });
    const { config } = parsed;
    const found = {
      os: config.os,
      architecture: config.architecture,
      ...(config.variant ? { variant: config.variant } : {}),
    };
    // An index was already matched against the platform; a lone manifest is checked by its config.
    if (checksConfig) assertPlatformMatches(ref.toString(), platform, found);
    const kept = [pulled.top, pulled.manifest];
    await this.keep(unique(checksConfig ? [...kept, parsed] : kept));
    this.logger.debug({
      msg: 'resolved',
      reference: ref.toString(),
      digest: top.digest.toString(),
    });
    return manifestRecord(pulled, found.os, found.architecture, found.variant);
  }

  /**
   * readConfigOnce reads the config through the store: the first resolve to need it downloads and
   * commits it, and any other waits for that and reads what was committed, so the registry serves
   * it once. Resolves in this process share one read; another process's resolve waits on the
   * store's ingest where the store locks it at open (a blobstore over HTTP locks only once bytes
   * flow, so two resolver replicas may each download a config both lacked).
   */
  private readConfigOnce(
    client: RegistryClient,
    ref: Reference,
    config: Descriptor,
  ): Promise<Buffer> {
    const key = config.digest.toString();
    const running = this.configReads.get(key);
    if (running) return running;
    const read = this.readConfigThroughStore(client, ref, config).finally(() =>
      this.configReads.delete(key),
    );
    this.configReads.set(key, read);
    return read;
  }

  private async readConfigThroughStore(
    client: RegistryClient,
    ref: Reference,
    config: Descriptor,
  ): Promise<Buffer> {
    let fetched: Buffer | undefined;
    const download: BlobSource = async function* (offset) {
      fetched ??= await client.readBlob(ref, config);
      yield fetched.subarray(offset);
    };
    await writeBlob(this.store, config, download, { maxWaitMs: KEEP_WAIT_MS });
    const blob = { digest: config.digest.toString(), size: config.size };
    return fetched ?? (await readSmallBlob(this.store, blob, DEFAULT_MAX_MANIFEST_BYTES));
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
