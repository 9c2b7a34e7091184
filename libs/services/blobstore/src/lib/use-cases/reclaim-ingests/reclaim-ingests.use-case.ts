import { Inject, Injectable, Logger } from '@nestjs/common';
import { FsBlobStore, FsBlobUploads, IngestLimits } from '@stevedore/blob-fs';
import { ReclaimedIngestsV1 } from '@stevedore/contracts';

/** Injection token of the {@link IngestLimits} (the config's `ingest-max-age-hours` and `ingest-max-bytes`). */
export const INGEST_LIMITS = Symbol('IngestLimits');

/**
 * ReclaimIngestsUseCase removes interrupted downloads that outgrew the limits: older than the age
 * limit, or the oldest beyond the total size. They are kept to resume a pull that failed, but never
 * for ever. Ingests being written, here or in another blobstore process, stay. Registry uploads a
 * client abandoned go by the same age limit.
 */
@Injectable()
export class ReclaimIngestsUseCase {
  private readonly logger = new Logger(ReclaimIngestsUseCase.name);

  constructor(
    private readonly store: FsBlobStore,
    private readonly uploads: FsBlobUploads,
    @Inject(INGEST_LIMITS) private readonly limits: IngestLimits,
  ) {}

  async execute(): Promise<ReclaimedIngestsV1> {
    const { ingests, bytes } = await this.store.reclaimIngests(this.limits);
    if (ingests > 0) this.logger.log({ msg: 'reclaimed interrupted downloads', ingests, bytes });
    const abandoned = await this.uploads.reclaim(this.limits.maxAgeMs);
    if (abandoned.uploads > 0)
      this.logger.log({ msg: 'reclaimed abandoned uploads', ...abandoned });
    return {
      ingests,
      uploads: abandoned.uploads,
      reclaimedBytes: bytes + abandoned.bytes,
    };
  }
}
