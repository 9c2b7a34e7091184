import { Inject, Injectable } from '@nestjs/common';
import { Observable, Subscriber } from 'rxjs';
import { BLOB_STORE, BlobStore } from '@stevedore/blob-port';
import { PushEventV1, PushImageV1 } from '@stevedore/contracts';
import { Digest, parseManifest, parseReference } from '@stevedore/domain';
import { recordBlob } from '@stevedore/observability';
import { RegistryClient, clientForRequest } from '@stevedore/registry-client';
import { StoreImageSource } from './store-image-source';

/** Minimum milliseconds between two byte counts of one blob. */
const PROGRESS_INTERVAL_MS = 100;

/**
 * PushImageUseCase is `docker push` of one tag: the layers to send first (Preparing), then each
 * blob's progress and how it got there (already there, mounted, uploaded), then the manifest's
 * original bytes under the tag, so the registry reports the digest the image was pulled with.
 */
@Injectable()
export class PushImageUseCase {
  constructor(
    private readonly registry: RegistryClient,
    @Inject(BLOB_STORE) private readonly store: BlobStore,
  ) {}

  execute(request: PushImageV1): Observable<PushEventV1> {
    return new Observable((out) => {
      this.run(request, out).then(
        () => out.complete(),
        (err: unknown) => out.error(err),
      );
    });
  }

  private async run(request: PushImageV1, out: Subscriber<PushEventV1>): Promise<void> {
    const target = parseReference(request.target);
    const root = Digest.parse(request.manifestDigest);
    const source = new StoreImageSource(
      this.store,
      root,
      request.manifestMediaType,
      request.origin,
    );
    const top = await source.manifest(root);
    const parsed = parseManifest(top.bytes, request.manifestMediaType, { expectedDigest: root });
    const layers =
      parsed.kind === 'manifest' ? parsed.manifest.layers.map((l) => l.digest.toString()) : [];
    out.next({ type: 'layers', digests: layers });
    const client = clientForRequest(this.registry, target.domain, request.registryAuth);
    const last = new Map<string, number>();
    const result = await client.copyImage(source, target, {
      onProgress: (desc, bytes) => {
        const digest = desc.digest.toString();
        if (Date.now() - (last.get(digest) ?? 0) < PROGRESS_INTERVAL_MS && bytes < desc.size)
          return;
        last.set(digest, Date.now());
        out.next({ type: 'pushing', digest, current: bytes, total: desc.size });
      },
      onBlob: (desc, outcome) => {
        if (outcome === 'uploaded') recordBlob('pushed', desc.size);
        out.next({
          type: 'blob',
          digest: desc.digest.toString(),
          outcome,
          ...(outcome === 'mounted' && source.origin ? { from: source.origin.repository } : {}),
        });
      },
    });
    out.next({ type: 'pushed', digest: result.digest.toString(), size: top.bytes.length });
  }
}
