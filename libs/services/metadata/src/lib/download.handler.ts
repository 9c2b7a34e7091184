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
import {
  AcquireDownloadUseCase,
  BackOffDownloadsUseCase,
  ReleaseDownloadUseCase,
} from './use-cases/downloads/download.use-cases';

/** DownloadHandler is the metadata service's bus surface for the fetchers' shared download gate. */
@Controller()
export class DownloadHandler {
  constructor(
    private readonly acquire: AcquireDownloadUseCase,
    private readonly release: ReleaseDownloadUseCase,
    private readonly backOff: BackOffDownloadsUseCase,
  ) {}

  @MessagePattern(ACQUIRE_DOWNLOAD_V1)
  acquireDownload(@Payload() request: AcquireDownloadV1): Promise<DownloadGrantV1> {
    return this.acquire.execute(request);
  }

  @MessagePattern(RELEASE_DOWNLOAD_V1)
  async releaseDownload(@Payload() request: ReleaseDownloadV1): Promise<{ ok: true }> {
    await this.release.execute(request);
    return { ok: true };
  }

  @MessagePattern(BACK_OFF_DOWNLOADS_V1)
  async backOffDownloads(@Payload() request: BackOffDownloadsV1): Promise<{ ok: true }> {
    await this.backOff.execute(request);
    return { ok: true };
  }
}
