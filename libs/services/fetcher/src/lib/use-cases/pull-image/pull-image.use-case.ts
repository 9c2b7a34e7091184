import { Inject, Injectable } from '@nestjs/common';
import { Observable, Subscriber, lastValueFrom, tap } from 'rxjs';
import { BLOB_STORE, BlobStore } from '@stevedore/blob-port';
import {
  PullEventV1,
  PullImageV1,
  RECORD_IMAGE_V1,
  RECORD_PRESENT_IMAGE_V1,
  RecordImageResultV1,
  RecordPresentImageResultV1,
  ResolvedImageV1,
  recordPresentRequest,
  resolvedPullEvent,
} from '@stevedore/contracts';
import { DomainError, Reference, parseReference } from '@stevedore/domain';
import { Bus } from '@stevedore/messaging';
import { FetchBlobsUseCase } from '../fetch-blobs/fetch-blobs.use-case';
import { readConfigJson, recordRequestFor } from './record-request';
import { HeldResolution, ResolveHeldUseCase } from './resolve-held.use-case';

/**
 * PullImageUseCase is a pull end to end, in the fetcher that downloads it: resolve the reference
 * (resolver) and hold what it names against garbage collection, fetch the missing layers into the
 * store here, then record the image and its tag (metadata) — only once every blob is committed —
 * and let the hold go. The config the resolver stored is read back from the store, so no document
 * crosses the bus twice. `docker pull`, the native pull API and batch items all run it.
 * Unsubscribing (the client went away) calls the pull off: its downloads stop unless another pull
 * shares them, and nothing is recorded.
 */
@Injectable()
export class PullImageUseCase {
  constructor(
    private readonly bus: Bus,
    private readonly resolveHeld: ResolveHeldUseCase,
    private readonly fetchBlobs: FetchBlobsUseCase,
    @Inject(BLOB_STORE) private readonly store: BlobStore,
  ) {}

  execute(request: PullImageV1): Observable<PullEventV1> {
    return new Observable((subscriber) => {
      const gone = new AbortController();
      this.run(request, subscriber, gone.signal).then(
        () => subscriber.complete(),
        (err: unknown) => subscriber.error(err),
      );
      // Also runs once the pull ended, when nothing listens to the signal any more.
      return () =>
        gone.abort(
          new DomainError('UNAVAILABLE', `the pull of ${request.reference} was called off`),
        );
    });
  }

  private async run(
    request: PullImageV1,
    out: Subscriber<PullEventV1>,
    signal: AbortSignal,
  ): Promise<void> {
    const ref = parseReference(request.reference);
    // A caller that resolved already has found the image missing (the gateway's docker pull).
    const resolved =
      request.resolved ??
      (await this.resolveHeld.resolve(ref, request.platform, request.registryAuth));
    if (!request.resolved && (await this.recordIfPresent(ref, resolved, out))) return;
    signal.throwIfAborted();
    const held = await this.resolveHeld.execute(
      ref,
      request.platform,
      request.registryAuth,
      resolved,
    );
    try {
      signal.throwIfAborted();
      await this.pullHeld(ref, request, held, out, signal);
    } finally {
      // The image is recorded (or the pull failed): the client need not wait for the release, and
      // a release that gets lost only keeps the content until the lease's ttl runs out.
      void held.content.release().catch(() => undefined);
    }
  }

  /**
   * recordIfPresent is the pull of an image stored already with what the reference resolved to
   * (dockerd: the config is found, nothing is pulled): one record, no hold, no layer rows.
   */
  private async recordIfPresent(
    ref: Reference,
    resolved: ResolvedImageV1,
    out: Subscriber<PullEventV1>,
  ): Promise<boolean> {
    const recorded = await this.bus.send<RecordPresentImageResultV1>(
      RECORD_PRESENT_IMAGE_V1,
      recordPresentRequest(ref, resolved),
    );
    if (!recorded.present) return false;
    out.next(resolvedPullEvent(resolved));
    out.next({ type: 'image', image: recorded.image, changed: recorded.changed });
    return true;
  }

  private async pullHeld(
    ref: Reference,
    request: PullImageV1,
    { resolved, content }: HeldResolution,
    out: Subscriber<PullEventV1>,
    signal: AbortSignal,
  ): Promise<void> {
    const { manifest } = resolved;
    out.next(resolvedPullEvent(resolved));
    const auth = request.registryAuth ? { registryAuth: request.registryAuth } : {};
    const fetch$ = this.fetchBlobs.execute({
      reference: ref,
      blobs: manifest.layers,
      ...auth,
      signal,
    });
    await lastValueFrom(fetch$.pipe(tap((p) => out.next({ type: 'blob', ...p }))), {
      defaultValue: undefined,
    });
    const configJson = await readConfigJson(this.store, manifest.config);
    // A hold that lapsed (this process stalled past its ttl) no longer vouches for the blobs.
    if (content.lost)
      throw new DomainError('UNAVAILABLE', `the pull of ${ref} stalled; pull again`);
    const recorded = await this.bus.send<RecordImageResultV1>(
      RECORD_IMAGE_V1,
      recordRequestFor(ref, resolved, configJson),
    );
    out.next({ type: 'image', image: recorded.image, changed: recorded.changed });
  }
}
