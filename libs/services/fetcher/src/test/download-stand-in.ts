import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  ACQUIRE_DOWNLOAD_V1,
  AcquireDownloadV1,
  BACK_OFF_DOWNLOADS_V1,
  BackOffDownloadsV1,
  DownloadGrantV1,
  RELEASE_DOWNLOAD_V1,
  ReleaseDownloadV1,
} from '@stevedore/contracts';

/**
 * DownloadStandIn answers the metadata service's download-gate messages from memory, so the
 * fetcher's bus coordination can be tested alone (this library may not depend on the metadata
 * service, whose own tests run the real gate on SQLite). It counts what it was asked; a release
 * an acquire carries counts as one.
 */
@Controller()
export class DownloadStandIn {
  /** Blob leases by digest, and slots by `<registry>#<n>`: who holds them. */
  private readonly held = new Map<string, string>();
  private readonly backoffUntil = new Map<string, number>();
  readonly asked = { acquire: 0, release: 0, backOff: 0 };

  @MessagePattern(ACQUIRE_DOWNLOAD_V1)
  acquire(@Payload() request: AcquireDownloadV1): DownloadGrantV1 {
    this.asked.acquire += 1;
    for (const release of request.releases ?? []) this.release(release);
    if (request.slot) return { granted: true, slot: request.slot };
    const wait = (this.backoffUntil.get(request.registry) ?? 0) - Date.now();
    if (wait > 0) return { granted: false, reason: 'backoff', retryAfterMs: wait };
    const holder = this.held.get(request.digest);
    if (holder && holder !== request.holder)
      return { granted: false, reason: 'downloading', retryAfterMs: 50 };
    for (let i = 0; i < request.limit; i += 1) {
      const slot = `${request.registry}#${i}`;
      if (this.held.has(slot)) continue;
      this.held.set(slot, request.holder);
      this.held.set(request.digest, request.holder);
      return { granted: true, slot };
    }
    return { granted: false, reason: 'slots', retryAfterMs: 50 };
  }

  @MessagePattern(RELEASE_DOWNLOAD_V1)
  release(@Payload() request: ReleaseDownloadV1): { ok: true } {
    this.asked.release += 1;
    for (const key of [request.digest, request.slot])
      if (this.held.get(key) === request.holder) this.held.delete(key);
    return { ok: true };
  }

  @MessagePattern(BACK_OFF_DOWNLOADS_V1)
  backOff(@Payload() request: BackOffDownloadsV1): { ok: true } {
    this.asked.backOff += 1;
    this.backoffUntil.set(request.registry, Date.now() + request.ms);
    return { ok: true };
  }
}
