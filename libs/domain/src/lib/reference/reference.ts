import { DomainError } from '../errors/domain-error';
import { Digest } from '../digest/digest';
import {
  DEFAULT_DOMAIN,
  DEFAULT_TAG,
  DOMAIN_RE,
  NAME_MAX_LENGTH,
  OFFICIAL_REPO_PREFIX,
  PATH_RE,
  TAG_RE,
} from './grammar';

/** ReferenceParts are the components a {@link Reference} is built from. */
export interface ReferenceParts {
  readonly domain: string;
  readonly path: string;
  readonly tag?: string | undefined;
  readonly digest?: Digest | undefined;
}

/**
 * Reference is an immutable, validated, normalised image reference (`domain/path[:tag][@digest]`).
 * `tag` and `digest` are what the input said; `toString()`/`familiar()` apply Docker's
 * `ParseDockerRef` defaults (tag `latest` when neither is given; the tag is dropped when a digest is
 * present, because resolution never consults it).
 */
export class Reference {
  private constructor(
    readonly domain: string,
    readonly path: string,
    readonly tag: string | undefined,
    readonly digest: Digest | undefined,
  ) {}

  /**
   * Reference.of builds a Reference from already-normalised parts (e.g. read back from a store),
   * validating each against the grammar; throws INVALID_ARGUMENT `invalid reference format` or
   * `repository name must not be more than 255 characters`.
   */
  static of(parts: ReferenceParts): Reference {
    const { domain, path, tag, digest } = parts;
    if (
      !DOMAIN_RE.test(domain) ||
      !PATH_RE.test(path) ||
      (tag !== undefined && !TAG_RE.test(tag))
    ) {
      throw DomainError.invalidArgument('invalid reference format', {
        domain,
        path,
        ...(tag === undefined ? {} : { tag }),
      });
    }
    if (path.length > NAME_MAX_LENGTH) {
      throw DomainError.invalidArgument('repository name must not be more than 255 characters', {
        path,
      });
    }
    return new Reference(domain, path, tag, digest);
  }

  /** name is the fully qualified repository, `domain/path`. */
  get name(): string {
    return `${this.domain}/${this.path}`;
  }

  /** manifestReference is what to request at `/v2/<path>/manifests/<ref>`: the digest if any, else the tag or `latest`. */
  get manifestReference(): string {
    return this.digest ? this.digest.toString() : (this.tag ?? DEFAULT_TAG);
  }

  /** normalized returns this reference as `ParseDockerRef` leaves it: tag `latest` by default, no tag beside a digest. */
  normalized(): Reference {
    if (this.digest)
      return this.tag === undefined
        ? this
        : new Reference(this.domain, this.path, undefined, this.digest);
    return this.tag === undefined
      ? new Reference(this.domain, this.path, DEFAULT_TAG, undefined)
      : this;
  }

  /** toString returns the fully qualified normalised form, e.g. `docker.io/library/busybox:latest` or `…@sha256:…`. */
  toString(): string {
    return `${this.name}${this.suffix()}`;
  }

  /** toJSON makes a Reference serialise as {@link Reference.toString}. */
  toJSON(): string {
    return this.toString();
  }

  /** familiar returns what the docker CLI prints: `busybox:latest`, `busybox@sha256:…`, `localhost:5000/app:v1`. */
  familiar(): string {
    return `${this.familiarName()}${this.suffix()}`;
  }

  /**
   * familiarName returns the repository as docker prints it: without `docker.io/`, and without
   * `library/` when that leaves a single component (`busybox`, but `library/foo/bar`).
   */
  familiarName(): string {
    if (this.domain !== DEFAULT_DOMAIN) return this.name;
    const rest = this.path.slice(OFFICIAL_REPO_PREFIX.length);
    return this.path.startsWith(OFFICIAL_REPO_PREFIX) && !rest.includes('/') ? rest : this.path;
  }

  /** withTag returns a copy with `tag` (validated; throws INVALID_ARGUMENT `invalid tag format`), keeping any digest. */
  withTag(tag: string): Reference {
    if (!TAG_RE.test(tag)) throw DomainError.invalidArgument('invalid tag format', { tag });
    return new Reference(this.domain, this.path, tag, this.digest);
  }

  /** withDigest returns a copy pinned to `digest` (a string is parsed), keeping any tag. */
  withDigest(digest: Digest | string): Reference {
    const parsed = typeof digest === 'string' ? Digest.parse(digest) : digest;
    return new Reference(this.domain, this.path, this.tag, parsed);
  }

  /** repository returns the name alone, without tag or digest (Docker's `TrimNamed`). */
  repository(): Reference {
    return this.tag === undefined && this.digest === undefined
      ? this
      : new Reference(this.domain, this.path, undefined, undefined);
  }

  /** equals compares all four components exactly (a typed `:latest` differs from an implied one). */
  equals(other: Reference): boolean {
    return (
      this.domain === other.domain &&
      this.path === other.path &&
      this.tag === other.tag &&
      (this.digest?.toString() ?? '') === (other.digest?.toString() ?? '')
    );
  }

  private suffix(): string {
    return this.digest ? `@${this.digest}` : `:${this.tag ?? DEFAULT_TAG}`;
  }
}
