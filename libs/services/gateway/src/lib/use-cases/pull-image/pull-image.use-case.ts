import { Injectable } from '@nestjs/common';
import { Observable, Subscriber, lastValueFrom, tap } from 'rxjs';
import {
  BlobProgressV1,
  FETCH_BLOBS_V1,
  ImageRecord,
  RECORD_IMAGE_V1,
  RESOLVE_REFERENCE_V1,
  RecordImageResultV1,
  ResolvedImageV1,
  recordRequestFor,
} from '@stevedore/contracts';
import { parseReference } from '@stevedore/domain';
import { Bus } from '@stevedore/messaging';

/** What a pull reports, in order: where the reference resolved, each blob's progress, the image. */
export type PullEvent =
  | { type: 'resolved'; reference: string; digest: string; manifest: ResolvedImageV1['manifest'] }
  | ({ type: 'blob' } & BlobProgressV1)
  | { type: 'image'; image: ImageRecord; changed: boolean };

export interface PullImageCommand {
  reference: string;
  platform?: string;
  registryAuth?: string;
}

/** How long a resolution may take (registry round trips and token fetches). */
const RESOLVE_TIMEOUT_MS = 120_000;
/** The longest silence allowed while blobs download (progress events keep it alive). */
const FETCH_IDLE_TIMEOUT_MS = 300_000;

/**
 * PullImageUseCase is a pull end to end: resolve the reference (resolver), fetch the missing
 * blobs into the store (fetcher, streaming progress), then record the image and its tag
 * (metadata) — only once every blob is committed.
 */
@Injectable()
export class PullImageUseCase {
  constructor(private readonly bus: Bus) {}

  execute(command: PullImageCommand): Observable<PullEvent> {
    return new Observable((subscriber) => {
      this.run(command, subscriber).then(
        () => subscriber.complete(),
        (err: unknown) => subscriber.error(err),
      );
    });
  }

  private async run(command: PullImageCommand, out: Subscriber<PullEvent>): Promise<void> {
    const ref = parseReference(command.reference);
    const resolved = await this.bus.send<ResolvedImageV1>(
      RESOLVE_REFERENCE_V1,
      {
        reference: ref.toString(),
        ...(command.platform ? { platform: command.platform } : {}),
        ...auth(command),
      },
      { timeoutMs: RESOLVE_TIMEOUT_MS },
    );
    out.next({
      type: 'resolved',
      reference: resolved.reference,
      digest: resolved.topDigest,
      manifest: resolved.manifest,
    });
    const fetch$ = this.bus.stream<BlobProgressV1>(
      FETCH_BLOBS_V1,
      { reference: resolved.reference, blobs: resolved.manifest.layers, ...auth(command) },
      { timeoutMs: FETCH_IDLE_TIMEOUT_MS },
    );
    await lastValueFrom(fetch$.pipe(tap((p) => out.next({ type: 'blob', ...p }))), {
      defaultValue: undefined,
    });
    const recorded = await this.bus.send<RecordImageResultV1>(
      RECORD_IMAGE_V1,
      recordRequestFor(ref, resolved),
    );
    out.next({ type: 'image', image: recorded.image, changed: recorded.changed });
  }
}

function auth(command: PullImageCommand): { registryAuth?: string } {
  return command.registryAuth ? { registryAuth: command.registryAuth } : {};
}
