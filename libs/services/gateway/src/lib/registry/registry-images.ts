import { Injectable } from '@nestjs/common';
import { ImageListV1, ImageRecord, LIST_IMAGES_V1 } from '@stevedore/contracts';
import { Bus } from '@stevedore/messaging';
import { repositoryOf, splitName } from './registry-names';

/** TaggedManifest is what a tag of a repository points at. */
export interface TaggedManifest {
  readonly name: string;
  readonly digest: string;
  readonly image: ImageRecord;
}

/** RepositoryView is one repository as `/v2/` shows it: its tags and the manifest digests it holds. */
export interface RepositoryView {
  readonly repository: string;
  readonly tags: Map<string, TaggedManifest>;
  /** Every manifest digest (index or platform manifest) of the repository's images. */
  readonly digests: Map<string, ImageRecord[]>;
}

/**
 * RegistryImages reads the image records (metadata's, over the bus) as repositories. Every call is
 * one list: the registry keeps no state of its own, so every gateway replica answers the same.
 */
@Injectable()
export class RegistryImages {
  constructor(private readonly bus: Bus) {}

  async repositories(selfHosts: ReadonlySet<string>): Promise<Map<string, RepositoryView>> {
    const { images } = await this.bus.send<ImageListV1>(LIST_IMAGES_V1, {});
    const views = new Map<string, RepositoryView>();
    for (const image of images) addImage(views, image, selfHosts);
    return views;
  }

  async view(repository: string, selfHosts: ReadonlySet<string>): Promise<RepositoryView> {
    const views = await this.repositories(selfHosts);
    return views.get(repository) ?? emptyView(repository);
  }
}

function emptyView(repository: string): RepositoryView {
  return { repository, tags: new Map(), digests: new Map() };
}

function addImage(
  views: Map<string, RepositoryView>,
  image: ImageRecord,
  selfHosts: ReadonlySet<string>,
): void {
  const viewOf = (name: string): RepositoryView | undefined => {
    const repository = repositoryOf(name, selfHosts);
    if (repository === undefined) return undefined;
    const view = views.get(repository) ?? emptyView(repository);
    views.set(repository, view);
    return view;
  };
  for (const ref of image.repoTags) {
    const { name, tag } = splitName(ref);
    const view = viewOf(name);
    if (!view || tag === undefined) continue;
    view.tags.set(tag, { name, digest: topDigest(image, name), image });
    addDigests(view, image);
  }
  for (const ref of image.repoDigests) {
    const { name, digest } = splitName(ref);
    const view = viewOf(name);
    if (!view || digest === undefined) continue;
    addDigests(view, image);
    view.digests.set(digest, [...(view.digests.get(digest) ?? []), image]);
  }
}

function addDigests(view: RepositoryView, image: ImageRecord): void {
  for (const manifest of image.manifests) {
    for (const digest of [manifest.digest, manifest.indexDigest]) {
      if (digest === undefined) continue;
      const images = view.digests.get(digest) ?? [];
      if (!images.includes(image)) view.digests.set(digest, [...images, image]);
    }
  }
}

/**
 * topDigest is the manifest a tag serves: an index the image was pulled or pushed through under
 * that name (a repo digest that is none of its platform manifests), else the digest it came by
 * under that name, else the newest manifest the image came through.
 */
function topDigest(image: ImageRecord, name: string): string {
  const platforms = new Set(image.manifests.map((m) => m.digest));
  const tops = image.manifests.map((m) => m.indexDigest ?? m.digest);
  const byName = image.repoDigests
    .map(splitName)
    .filter((r) => r.name === name && r.digest !== undefined)
    .map((r) => r.digest as string);
  const index = byName.filter((d) => !platforms.has(d)).pop();
  const newest = [...tops].reverse().find((d) => byName.includes(d));
  return index ?? newest ?? byName[byName.length - 1] ?? tops[tops.length - 1] ?? image.id;
}
