import { Inject, Injectable, Optional } from '@nestjs/common';
import { createReadStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { SpooledLayer, spoolRootfsLayer } from '@stevedore/archive';
import { BLOB_STORE, BlobStore, writeBlob } from '@stevedore/blob-port';
import {
  ImageManifestRecord,
  ImportResultV1,
  ImportRootfsV1,
  RECORD_IMAGE_V1,
  RecordImageResultV1,
} from '@stevedore/contracts';
import {
  Digest,
  DomainError,
  Platform,
  Reference,
  ChangedConfig,
  applyChanges,
  defaultTargetPlatform,
  hostPlatform,
  normalizePlatform,
  parsePlatform,
  parseReference,
} from '@stevedore/domain';
import { Bus, ContentLeases } from '@stevedore/messaging';
import { abortReading } from '../../support/abort';
import { SpoolDirectory } from '../../support/spool-directory';
import { IMPORT_URL_ALLOWLIST } from './import-policy';
import { openImportUrl } from './import-source';

const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const OCI_CONFIG = 'application/vnd.oci.image.config.v1+json';
const OCI_LAYER = 'application/vnd.oci.image.layer.v1.tar+gzip';

/**
 * ImportRootfsUseCase is `docker import`: a root filesystem tar (the stream beside the request, or
 * a URL on the allow-list) becomes a one-layer image — the layer spooled and stored
 * gzip-compressed, a config with its diff ID, the `--change` lines applied and a history entry
 * carrying the message, an OCI manifest — and is recorded under `repo` when one is given. It
 * answers the image ID. The layer is held against garbage collection from before it is stored
 * until the image is recorded.
 */
@Injectable()
export class ImportRootfsUseCase {
  constructor(
    private readonly bus: Bus,
    @Inject(BLOB_STORE) private readonly store: BlobStore,
    private readonly leases: ContentLeases,
    private readonly spool: SpoolDirectory,
    @Optional() @Inject(IMPORT_URL_ALLOWLIST) private readonly allowlist: string[] = [],
  ) {}

  async execute(
    body: Readable,
    command: ImportRootfsV1,
    signal?: AbortSignal,
  ): Promise<ImportResultV1> {
    const target = targetOf(command);
    const config = applyChanges({}, command.changes); // bad changes fail before any byte is read
    const platform = platformOf(command.platform);
    const source =
      command.fromSrc === '-' ? body : await openImportUrl(command.fromSrc, this.allowlist, signal);
    const unlink = abortReading(source, signal);
    const dir = await mkdtemp(join(this.spool.path, 'import-'));
    try {
      const layer = await spoolRootfsLayer(source, dir).finally(unlink);
      const configJson = configJsonOf(platform, config, commentOf(command), layer.diffId);
      const configBytes = Buffer.from(configJson);
      const id = Digest.fromBytes(configBytes).toString();
      // The manifest is made below; what matters to a collection is the layer and the config.
      const held = await this.leases.hold([layer.digest, id]);
      try {
        await this.storeLayer(layer);
        const record = await this.storeManifest(
          platform,
          await this.storeBytes(configBytes),
          layer,
        );
        const tag = target ? { tag: target.toString() } : {};
        await this.bus.send<RecordImageResultV1>(RECORD_IMAGE_V1, {
          id,
          manifest: record,
          configJson,
          ...tag,
        });
      } finally {
        await held.release();
      }
      return { id };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  /** storeManifest stores the OCI manifest of the config and the layer, and describes it for the record. */
  private async storeManifest(
    platform: Platform,
    configBlob: { digest: string; size: number },
    layer: { digest: string; size: number },
  ): Promise<ImageManifestRecord> {
    const layers = [{ mediaType: OCI_LAYER, digest: layer.digest, size: layer.size }];
    const config = { mediaType: OCI_CONFIG, ...configBlob };
    const manifest = JSON.stringify({ schemaVersion: 2, mediaType: OCI_MANIFEST, config, layers });
    return {
      ...(await this.storeBytes(Buffer.from(manifest))),
      mediaType: OCI_MANIFEST,
      platform: {
        os: platform.os,
        architecture: platform.architecture,
        ...(platform.variant ? { variant: platform.variant } : {}),
      },
      config,
      layers,
    };
  }

  /** storeLayer ingests the spooled layer (spooled first: its digest is known only at the end). */
  private async storeLayer(layer: SpooledLayer): Promise<void> {
    const blob = { digest: Digest.parse(layer.digest), size: layer.size };
    await writeBlob(this.store, blob, (start) => createReadStream(layer.path, { start }));
  }

  private async storeBytes(bytes: Buffer): Promise<{ digest: string; size: number }> {
    const digest = Digest.fromBytes(bytes);
    await writeBlob(this.store, { digest, size: bytes.length }, bytes);
    return { digest: digest.toString(), size: bytes.length };
  }
}

function commentOf(command: ImportRootfsV1): string {
  return command.message || `Imported from ${command.fromSrc}`;
}

/** targetOf reads `repo` (which carries `name:tag`) and `tag`; a digest is refused as Docker does. */
function targetOf(command: ImportRootfsV1): Reference | undefined {
  if (!command.repo) return undefined;
  const ref = parseReference(command.repo);
  if (ref.digest) throw DomainError.invalidArgument('cannot import digest reference');
  return command.tag ? ref.withTag(command.tag) : ref.normalized();
}

function platformOf(raw: string | undefined): Platform {
  if (raw) return normalizePlatform(parsePlatform(raw));
  return defaultTargetPlatform(hostPlatform(process.arch, process.platform));
}

/** configJsonOf is the image config: the platform, the changes, the message in `comment` and history. */
function configJsonOf(
  platform: Platform,
  config: ChangedConfig,
  comment: string,
  diffId: string,
): string {
  const created = new Date().toISOString();
  return JSON.stringify({
    architecture: platform.architecture,
    os: platform.os,
    ...(platform.variant ? { variant: platform.variant } : {}),
    created,
    comment,
    config,
    rootfs: { type: 'layers', diff_ids: [diffId] },
    history: [{ created, comment }],
  });
}
