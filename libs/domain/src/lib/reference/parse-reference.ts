import { DomainError } from '../errors/domain-error';
import { Digest } from '../digest/digest';
import {
  DEFAULT_DOMAIN,
  IMAGE_ID_RE,
  LEGACY_DEFAULT_DOMAIN,
  NAME_MAX_LENGTH,
  NAME_RE,
  OFFICIAL_REPO_PREFIX,
  REFERENCE_RE,
} from './grammar';
import { Reference } from './reference';

function invalid(message: string, input: string): DomainError {
  return DomainError.invalidArgument(message, { reference: input });
}

/** splitDockerDomain is step 2 of §1.2 (docker's `splitDockerDomain`). */
function splitDockerDomain(input: string): { domain: string; rest: string } {
  const slash = input.indexOf('/');
  const first = slash === -1 ? '' : input.slice(0, slash);
  const isHost =
    slash !== -1 && (/[.:]/.test(first) || first === 'localhost' || first.toLowerCase() !== first);
  let domain = isHost ? first : DEFAULT_DOMAIN;
  let rest = isHost ? input.slice(slash + 1) : input;
  if (domain === LEGACY_DEFAULT_DOMAIN) domain = DEFAULT_DOMAIN;
  if (domain === DEFAULT_DOMAIN && !rest.includes('/')) rest = OFFICIAL_REPO_PREFIX + rest;
  return { domain, rest };
}

/** parseDigestOfReference is step 6 of §1.2: an unusable digest makes the whole reference invalid input. */
function parseDigestOfReference(text: string, input: string): Digest {
  try {
    return Digest.parse(text);
  } catch (error) {
    // Inside a reference, even an unsupported algorithm is a user error, as in docker (400).
    if (error instanceof DomainError) throw invalid(error.message, input);
    throw error;
  }
}

/**
 * parseReference parses `input` exactly like Docker's `ParseNormalizedNamed` (§1.2 steps 1–6) and
 * returns the normalised {@link Reference}; tag and digest are kept as typed (see
 * {@link Reference.normalized} for `ParseDockerRef` defaults). Throws INVALID_ARGUMENT with Docker's
 * message: `invalid reference format`, `invalid reference format: repository name (<p>) must be
 * lowercase`, `repository name must be lowercase`, `invalid repository name (<h>), cannot specify
 * 64-byte hexadecimal strings`, `repository name must not be more than 255 characters`,
 * `unsupported digest algorithm`, `invalid checksum digest length`, `invalid checksum digest format`.
 */
export function parseReference(input: string): Reference {
  if (IMAGE_ID_RE.test(input)) {
    throw invalid(
      `invalid repository name (${input}), cannot specify 64-byte hexadecimal strings`,
      input,
    );
  }
  const { domain, rest } = splitDockerDomain(input);
  const colon = rest.indexOf(':');
  const remote = colon === -1 ? rest : rest.slice(0, colon);
  if (remote.toLowerCase() !== remote) {
    throw invalid(`invalid reference format: repository name (${remote}) must be lowercase`, input);
  }
  const full = `${domain}/${rest}`;
  const match = REFERENCE_RE.exec(full);
  if (!match) {
    const lowerMatches = REFERENCE_RE.test(full.toLowerCase());
    throw invalid(
      lowerMatches ? 'repository name must be lowercase' : 'invalid reference format',
      input,
    );
  }
  const [, name = '', tag, digestText] = match;
  const nameMatch = NAME_RE.exec(name);
  const path = nameMatch?.[2] ?? '';
  if (path.length > NAME_MAX_LENGTH)
    throw invalid('repository name must not be more than 255 characters', input);
  const digest = digestText === undefined ? undefined : parseDigestOfReference(digestText, input);
  return Reference.of({ domain: nameMatch?.[1] ?? domain, path, tag, digest });
}

/**
 * parseRepositoryName parses a repository name without tag or digest (the `repo` of `docker tag` and
 * `docker import`), normalised like {@link parseReference}; throws INVALID_ARGUMENT with the same
 * messages, or `invalid repository name (<input>): a tag or digest is not allowed here`.
 */
export function parseRepositoryName(input: string): Reference {
  const reference = parseReference(input);
  if (reference.tag !== undefined || reference.digest !== undefined) {
    throw invalid(`invalid repository name (${input}): a tag or digest is not allowed here`, input);
  }
  return reference;
}

/**
 * assertTagTarget enforces docker's guards on a name that is about to receive a tag (`docker tag`,
 * `import`, `commit`, `load`): no digest (`refusing to create a tag with a digest reference`) and not
 * the familiar name `sha256` (`refusing to create an ambiguous tag using digest algorithm as name`).
 * Throws INVALID_ARGUMENT; returns the reference unchanged otherwise.
 */
export function assertTagTarget(reference: Reference): Reference {
  if (reference.digest !== undefined) {
    throw DomainError.invalidArgument('refusing to create a tag with a digest reference', {
      reference: reference.toString(),
    });
  }
  if (reference.familiarName() === 'sha256') {
    throw DomainError.invalidArgument(
      'refusing to create an ambiguous tag using digest algorithm as name',
      {
        reference: reference.toString(),
      },
    );
  }
  return reference;
}
