import { Readable } from 'node:stream';
import { InternalPool, errorFromResponse } from '@stevedore/internal-http';
import type { BuildContext, BuildRequest, ImageBuilder } from './image-builder.port';
import { BUILD_PATH, RUNTIME_HEADERS, buildHeaderOf } from './protocol';
import { PEER } from './upgrade';

/**
 * HttpImageBuilder is the {@link ImageBuilder} port over the runtime's internal protocol (a
 * cluster gateway's): the context streams up as the request body, Docker's JSON lines stream
 * down. Aborting `signal` aborts the request, which cancels the build on the runtime. Builds go
 * to the first runtime given (the one that will own their step containers).
 */
export class HttpImageBuilder implements ImageBuilder {
  private readonly pool: InternalPool;

  constructor(baseUrl: string, token: string) {
    // No timeouts: a build runs for as long as its steps do.
    this.pool = new InternalPool(baseUrl, token, { bodyTimeout: 0, headersTimeout: 0 }, PEER);
  }

  async close(): Promise<void> {
    await this.pool.close();
  }

  async build(
    request: BuildRequest,
    context: BuildContext,
    signal: AbortSignal,
  ): Promise<Readable> {
    const res = await this.pool.request({
      method: 'POST',
      path: BUILD_PATH,
      headers: {
        'content-type': 'application/x-tar',
        [RUNTIME_HEADERS.build]: buildHeaderOf(request),
        ...(context.registryConfig
          ? { [RUNTIME_HEADERS.registryConfig]: context.registryConfig }
          : {}),
      },
      body: Readable.from(context.body.iterator({ destroyOnReturn: false }), { objectMode: false }),
      signal,
    });
    if (res.statusCode >= 300) throw errorFromResponse(res.statusCode, await res.body.text(), PEER);
    return res.body;
  }
}
