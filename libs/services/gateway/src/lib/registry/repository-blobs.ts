import { Injectable } from '@nestjs/common';
import {
  BLOB_MEMBER_V1,
  BlobMemberResultV1,
  LINK_BLOBS_V1,
  MAX_MEMBER_NAME_LENGTH,
  MAX_MEMBER_NAMES,
} from '@stevedore/contracts';
import { DEFAULT_DOMAIN, Digest, parseRepositoryName } from '@stevedore/domain';
import { Bus } from '@stevedore/messaging';
import { repositoryOf } from './registry-names';

/** How many positive answers a gateway remembers, and for how long. */
const MAX_REMEMBERED = 20_000;
const REMEMBER_MS = 60_000;

/**
 * RepositoryBlobs tells which blobs a `/v2/` repository holds, as the CNCF registry's links do:
 * those its manifests and images name, and those uploaded, mounted or pulled through into it
 * (links kept by metadata, so every replica and a restarted gateway agree). Each question is one
 * indexed lookup in metadata; a "yes" is remembered for a minute (bounded), so a pull asks once
 * per blob. A "no" is never remembered: the blob may be linked by the next request.
 */
@Injectable()
export class RepositoryBlobs {
  private readonly members = new Map<string, number>();

  constructor(private readonly bus: Bus) {}

  async has(
    repository: string,
    digest: Digest | string,
    selfHosts: ReadonlySet<string>,
  ): Promise<boolean> {
    const key = `${repository}@${digest.toString()}`;
    const until = this.members.get(key);
    if (until !== undefined && until > Date.now()) return true;
    const request = {
      repository,
      digest: digest.toString(),
      names: servedNames(repository, selfHosts),
    };
    const { member } = await this.bus.send<BlobMemberResultV1>(BLOB_MEMBER_V1, request);
    if (member) this.remember(key);
    else this.members.delete(key);
    return member;
  }

  /** link puts blobs into a repository: an upload completed, a mount, a pull-through that resolved them. */
  async link(repository: string, digests: readonly (Digest | string)[]): Promise<void> {
    const unique = [...new Set(digests.map((d) => d.toString()))];
    if (unique.length === 0) return;
    await this.bus.send(LINK_BLOBS_V1, { repository, digests: unique });
    for (const digest of unique) this.remember(`${repository}@${digest}`);
  }

  private remember(key: string): void {
    this.members.delete(key);
    this.members.set(key, Date.now() + REMEMBER_MS);
    // A Map iterates in insertion order: the first key is the longest unrefreshed.
    if (this.members.size > MAX_REMEMBERED) {
      const oldest = this.members.keys().next().value;
      if (oldest !== undefined) this.members.delete(oldest);
    }
  }
}

/**
 * servedNames is every fully qualified store name `/v2/` serves as `repository` (the inverse of
 * repositoryOf): `docker.io/<repository>` (normalised), `<self host>/<repository>`, or the name
 * itself when it names another registry.
 */
export function servedNames(repository: string, selfHosts: ReadonlySet<string>): string[] {
  const candidates = [
    normalised(repository),
    `${DEFAULT_DOMAIN}/${repository}`,
    ...[...selfHosts].map((host) => `${host}/${repository}`),
  ];
  const names = new Set<string>();
  // A Host header is the client's to choose: a name it makes too long is no name of ours.
  for (const name of candidates)
    if (
      name &&
      name.length <= MAX_MEMBER_NAME_LENGTH &&
      repositoryOf(name, selfHosts) === repository
    )
      names.add(name);
  return [...names].slice(0, MAX_MEMBER_NAMES);
}

function normalised(repository: string): string | undefined {
  try {
    return parseRepositoryName(repository).name;
  } catch {
    return undefined;
  }
}
