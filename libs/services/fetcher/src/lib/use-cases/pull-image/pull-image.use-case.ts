import { Inject, Injectable } from '@nestjs/common';
import { Observable, Subscriber, lastValueFrom, tap } from 'rxjs';
import { BLOB_STORE, BlobStore } from '@stevedore/blob-port';
import {
  PullEventV1,
  PullImageV1,
  RECORD_IMAGE_V1,
  RESOLVE_REFERENCE_V1,
  RecordImageResultV1,
  ResolvedImageV1,
} from '@stevedore/contracts';
import { parseReference } from '@stevedore/domain';
import { Bus } from '@stevedore/messaging';
import { FetchBlobsUseCase } from '../fetch-blobs/fetch-blobs.use-case';
import { readConfigJson, recordRequestFor } from './record-request';

/** How long a resolution may take (registry round trips and token fetches). */
const RESOLVE_TIMEOUT_MS = 120_000;

/**
 * PullImageUseCase is a pull end to end, in the fetcher that downloads it: resolve the reference
 * (resolver), fetch the missing layers into the store here, then record the image and its tag
 * (metadata) — only once every blob is committed. The config the resolver stored is read back
 * from the store, so no document crosses the bus twice. `docker pull`, the native pull API and
 * batch items all run it.
 */
@Injectable()
export class PullImageUseCase {
  constructor(
    private readonly bus: Bus,
    private readonly fetchBlobs: FetchBlobsUseCase,
    @Inject(BLOB_STORE) private readonly store: BlobStore,
  ) {}

  execute(request: PullImageV1): Observable<PullEventV1> {
    return new Observable((subscriber) => {
      this.run(request, subscriber).then(
        () => subscriber.complete(),
        (err: unknown) => subscriber.error(err),
      );
    });
  }

  private async run(request: PullImageV1, out: Subscriber<PullEventV1>): Promise<void> {
    const ref = parseReference(request.reference);
    const auth = request.registryAuth ? { registryAuth: request.registryAuth } : {};
    const resolved = await this.bus.send<ResolvedImageV1>(
      RESOLVE_REFERENCE_V1,
      {
        reference: ref.toString(),
        ...(request.platform ? { platform: request.platform } : {}),
        ...auth,
      },
      { timeoutMs: RESOLVE_TIMEOUT_MS },
    );
    const { manifest } = resolved;
    out.next({
      type: 'resolved',
      reference: resolved.reference,
      digest: resolved.topDigest,
      manifest,
    });
    const fetch$ = this.fetchBlobs.execute({ reference: ref, blobs: manifest.layers, ...auth });
    await lastValueFrom(fetch$.pipe(tap((p) => out.next({ type: 'blob', ...p }))), {
      defaultValue: undefined,
    });
    const configJson = await readConfigJson(this.store, manifest.config);
    const recorded = await this.bus.send<RecordImageResultV1>(
      RECORD_IMAGE_V1,
      recordRequestFor(ref, resolved, configJson),
    );
    out.next({ type: 'image', image: recorded.image, changed: recorded.changed });
  }
}
