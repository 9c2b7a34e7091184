import type { ImageRecord, ImageUseV1 } from '@stevedore/contracts';
import { DomainError, goQuote, parseReference } from '@stevedore/domain';

type Users = ImageUseV1['containers'];

/** shortId is Docker's `stringid.TruncateID`: 12 hex digits, without the algorithm. */
export function shortId(id: string): string {
  return id.slice(id.indexOf(':') + 1).slice(0, 12);
}

/** isImageIdPrefix says whether `ref` names the image by (a prefix of) its ID, with or without `sha256:`. */
export function isImageIdPrefix(imageId: string, ref: string): boolean {
  return imageId.startsWith(ref) || imageId.slice(imageId.indexOf(':') + 1).startsWith(ref);
}

/** isSingleReference is dockerd's: at most one tag, and every reference in one repository. */
export function isSingleReference(refs: readonly string[]): boolean {
  const parsed = refs.map((ref) => parseReference(ref));
  if (parsed.filter((ref) => ref.digest === undefined).length > 1) return false;
  return new Set(parsed.map((ref) => ref.name)).size === 1;
}

/** RemovalPlan is what a removal may do once the containers were considered. */
export interface RemovalPlan {
  /** Untag the name only: the image stays, a container uses it. */
  keepImage: boolean;
}

function deleteConflict(image: ImageRecord, hard: boolean, why: string): DomainError {
  const force = hard ? 'cannot be forced' : 'must be forced';
  return DomainError.conflict(
    `conflict: unable to delete ${shortId(image.id)} (${force}) - ${why}`,
  );
}

function byName(ref: string, image: ImageRecord, users: Users, force: boolean): RemovalPlan {
  const refs = [...image.repoTags, ...image.repoDigests];
  const first = users[0];
  if (first === undefined) return { keepImage: false };
  if (!force && isSingleReference(refs))
    throw DomainError.conflict(
      `conflict: unable to remove repository reference ${goQuote(ref)} (must force) - container ${shortId(first.id)} is using its referenced image ${shortId(image.id)}`,
    );
  return { keepImage: true };
}

function byId(image: ImageRecord, users: Users, force: boolean): RemovalPlan {
  const running = users.find((u) => u.running);
  if (running)
    throw deleteConflict(
      image,
      true,
      `image is being used by running container ${shortId(running.id)}`,
    );
  const refs = [...image.repoTags, ...image.repoDigests];
  const stopped = users.find((u) => !u.running);
  // With references in several repositories and no force, metadata's own conflict comes first.
  const referenceConflictFirst = refs.length > 0 && !isSingleReference(refs);
  if (stopped && !force && !referenceConflictFirst)
    throw deleteConflict(
      image,
      false,
      `image is being used by stopped container ${shortId(stopped.id)}`,
    );
  return { keepImage: false };
}

/**
 * planRemoval applies dockerd's rmi rules about containers (daemon/images/image_delete.go): by
 * name, an image in use keeps existing (its last name goes only with `-f`, or not at all while
 * it is the only reference); by ID, a running container is a conflict `-f` cannot force and a
 * stopped one a conflict it can. Throws CONFLICT with Docker's exact message.
 */
export function planRemoval(
  ref: string,
  image: ImageRecord,
  users: Users,
  force: boolean,
): RemovalPlan {
  return isImageIdPrefix(image.id, ref)
    ? byId(image, users, force)
    : byName(ref, image, users, force);
}
