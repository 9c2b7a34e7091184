import { Injectable } from '@nestjs/common';
import { REMOVE_MANIFEST_V1, RemoveManifestResultV1 } from '@stevedore/contracts';
import { Digest } from '@stevedore/domain';
import { Bus } from '@stevedore/messaging';
import { RemoveImagesUseCase } from '../use-cases/remove-images/remove-images.use-case';
import { RegistryContext, RegistryHandler } from './registry-context';
import { RegistryError } from './registry-error';
import { RegistryImages, RepositoryView } from './registry-images';
import { UntagUseCase } from './untag.use-case';
import { manifestUnknown } from './registry-miss';
import { repositoryOf, splitName } from './registry-names';
import type { RegistryRoute } from './registry-route';
import { MAX_MANIFEST_BYTES, readAll } from './serve-content.use-case';
import { PutManifestUseCase } from './put-manifest.use-case';
import { RegistryEvents } from './registry-events';

type Manifest = RegistryContext<Extract<RegistryRoute, { kind: 'manifest' }>>;

/**
 * ManageHandlers change what a repository holds: manifest PUT (by tag or digest), manifest DELETE
 * (a tag: untag only; a digest: the image's references in this repository, which frees the image
 * and its blobs to the garbage collector once no other name holds it). Blob DELETE is refused:
 * blobs belong to every repository that names them, and go only through garbage collection.
 */
@Injectable()
export class ManageHandlers {
  constructor(
    private readonly put: PutManifestUseCase,
    private readonly images: RegistryImages,
    private readonly removal: RemoveImagesUseCase,
    private readonly bus: Bus,
    private readonly events: RegistryEvents,
    private readonly untag: UntagUseCase,
  ) {}

  routes(): Record<string, RegistryHandler> {
    return {
      'PUT manifest': async (ctx) => this.putManifest(ctx as Manifest),
      'DELETE manifest': async (ctx) => this.deleteManifest(ctx as Manifest),
      'DELETE blob': async () => {
        throw new RegistryError(405, 'UNSUPPORTED', 'blobs are deleted by garbage collection');
      },
    };
  }

  private async putManifest(ctx: Manifest): Promise<void> {
    const length = Number(ctx.req.headers['content-length'] ?? 0);
    if (length > MAX_MANIFEST_BYTES)
      throw new RegistryError(413, 'SIZE_INVALID', 'manifest larger than 4 MiB');
    const bytes = await readAll(ctx.req);
    const { repository, reference } = ctx.route;
    const contentType = ctx.req.headers['content-type'];
    const { digest, subject } = await this.put.execute({
      repository,
      reference,
      contentType,
      bytes,
      host: ctx.host,
      selfHosts: ctx.selfHosts,
    });
    ctx.res
      .writeHead(201, {
        location: `/v2/${repository}/manifests/${digest.toString()}`,
        'docker-content-digest': digest.toString(),
        ...(subject === undefined ? {} : { 'oci-subject': subject }),
        'content-length': 0,
      })
      .end();
    this.events.pushed(repository, ctx.host, reference);
  }

  private async deleteManifest(ctx: Manifest): Promise<void> {
    const { repository, reference } = ctx.route;
    if (!reference.includes(':')) {
      if (!(await this.untag.execute(repository, reference, ctx.selfHosts)))
        throw manifestUnknown(repository, reference);
      return void ctx.res.writeHead(202, { 'content-length': 0 }).end();
    }
    const view = await this.images.view(repository, ctx.selfHosts);
    const refs = refsOfDigest(view, reference, ctx.selfHosts);
    if (refs.length > 0) await this.removal.execute({ refs, force: false });
    // An artifact, or a manifest with a subject: it leaves the referrers list too.
    const kept = Digest.isValid(reference) && (await this.forget(repository, reference));
    if (refs.length === 0 && !kept) throw manifestUnknown(repository, reference);
    ctx.res.writeHead(202, { 'content-length': 0 }).end();
  }

  private async forget(repository: string, digest: string): Promise<boolean> {
    const request = { repository, digest };
    return (await this.bus.send<RemoveManifestResultV1>(REMOVE_MANIFEST_V1, request)).removed;
  }
}

/** refsOfDigest is every name in this repository that holds the manifest: its digest references and the tags on it. */
function refsOfDigest(
  view: RepositoryView,
  digest: string,
  selfHosts: ReadonlySet<string>,
): string[] {
  const refs = new Set<string>();
  for (const image of view.digests.get(digest) ?? []) {
    for (const ref of image.repoDigests) {
      const { name } = splitName(ref);
      if (repositoryOf(name, selfHosts) === view.repository) refs.add(ref);
    }
  }
  for (const [tag, tagged] of view.tags)
    if (tagged.digest === digest) refs.add(`${tagged.name}:${tag}`);
  return [...refs];
}
