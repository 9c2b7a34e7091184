import { Injectable } from '@nestjs/common';
import { LIST_MANIFEST_TAGS_V1, ManifestTagListV1, ManifestTagV1 } from '@stevedore/contracts';
import { Bus } from '@stevedore/messaging';
import { RegistryContext, RegistryHandler, sendJson } from './registry-context';
import { RegistryError } from './registry-error';
import { RegistryImages } from './registry-images';
import type { RegistryRoute } from './registry-route';
import { ReferrersHandler } from './referrers.handler';

/**
 * DiscoveryHandlers list what the registry holds: a repository's tags and the catalog of
 * repositories, both sorted, paginated with `n` and `last`, and a `Link` to the next page; and
 * the referrers of a manifest.
 */
@Injectable()
export class DiscoveryHandlers {
  constructor(
    private readonly images: RegistryImages,
    private readonly referrers: ReferrersHandler,
    private readonly bus: Bus,
  ) {}

  routes(): Record<string, RegistryHandler> {
    return {
      'GET tags': async (ctx) => this.tags(ctx),
      'GET catalog': async (ctx) => this.catalog(ctx),
      'GET referrers': async (ctx) =>
        this.referrers.handle(
          ctx as RegistryContext<Extract<RegistryRoute, { kind: 'referrers' }>>,
        ),
    };
  }

  private async tags(ctx: RegistryContext): Promise<void> {
    const { repository } = ctx.route as Extract<RegistryRoute, { kind: 'tags' }>;
    const view = (await this.images.repositories(ctx.selfHosts)).get(repository);
    const artifacts = await this.artifactTags({ repository });
    const tags = [...(view?.tags.keys() ?? []), ...artifacts.map((t) => t.tag)];
    if (tags.length === 0)
      throw new RegistryError(404, 'NAME_UNKNOWN', 'repository name not known to registry', {
        name: repository,
      });
    const page = paginate(tags, ctx.url);
    const headers = linkHeader(`/v2/${repository}/tags/list`, page);
    sendJson(ctx.res, 200, { name: repository, tags: page.items }, headers);
  }

  private async catalog(ctx: RegistryContext): Promise<void> {
    const views = await this.images.repositories(ctx.selfHosts);
    const names = [...views.values()].filter((v) => v.tags.size > 0).map((v) => v.repository);
    const artifacts = (await this.artifactTags({})).map((t) => t.repository);
    const page = paginate([...names, ...artifacts], ctx.url);
    sendJson(ctx.res, 200, { repositories: page.items }, linkHeader('/v2/_catalog', page));
  }

  /** artifactTags are the tags on artifacts (kept beside the images), of one repository or all. */
  private async artifactTags(request: { repository?: string }): Promise<ManifestTagV1[]> {
    return (await this.bus.send<ManifestTagListV1>(LIST_MANIFEST_TAGS_V1, request)).tags;
  }
}

/** Page is one page of a sorted list, and the query of the next one when there is more. */
interface Page {
  items: string[];
  next?: { n: number; last: string };
}

/** paginate applies `last` (start after it) and `n` (at most that many) to a list, sorted as the spec asks. */
export function paginate(all: string[], url: URL): Page {
  const sorted = [...new Set(all)].sort();
  const last = url.searchParams.get('last');
  const rawN = url.searchParams.get('n');
  const after = last === null ? sorted : sorted.filter((item) => item > last);
  if (rawN === null || rawN === '') return { items: after };
  const n = Number(rawN);
  if (!Number.isSafeInteger(n) || n < 0)
    throw new RegistryError(400, 'UNSUPPORTED', 'n must be a non-negative integer', { n: rawN });
  const items = after.slice(0, n);
  const lastItem = items[items.length - 1];
  return after.length > n && lastItem !== undefined
    ? { items, next: { n, last: lastItem } }
    : { items };
}

function linkHeader(path: string, page: Page): Record<string, string> {
  if (!page.next) return {};
  const query = `n=${page.next.n}&last=${encodeURIComponent(page.next.last)}`;
  return { link: `<${path}?${query}>; rel="next"` };
}
