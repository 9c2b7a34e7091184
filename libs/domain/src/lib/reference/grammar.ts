// Port of distribution/reference regexp.go (§1.1 of registry-and-formats.md). JavaScript `\w` is
// ASCII [A-Za-z0-9_], the same as RE2's.
const ALNUM = '[a-z0-9]+';
const SEP = '(?:[._]|__|[-]+)';
const PCOMP = `${ALNUM}(?:${SEP}${ALNUM})*`;
const PATH = `${PCOMP}(?:/${PCOMP})*`;
const DCOMP = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const HOST = `(?:${DCOMP}(?:\\.${DCOMP})*|\\[(?:[a-fA-F0-9:]+)\\])`;
const DOMAIN = `${HOST}(?::[0-9]+)?`;
const TAG = '[\\w][\\w.-]{0,127}';
const DIGEST = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}';

/** REFERENCE_RE matches a whole reference: group 1 the name, 2 the tag, 3 the digest. */
export const REFERENCE_RE = new RegExp(`^((?:${DOMAIN}/)?${PATH})(?::(${TAG}))?(?:@(${DIGEST}))?$`);
/** NAME_RE splits a name: group 1 the domain (optional), 2 the path. */
export const NAME_RE = new RegExp(`^(?:(${DOMAIN})/)?(${PATH})$`);
/** DOMAIN_RE matches a registry host with an optional port. */
export const DOMAIN_RE = new RegExp(`^${DOMAIN}$`);
/** PATH_RE matches a repository path (lower-case components separated by `/`). */
export const PATH_RE = new RegExp(`^${PATH}$`);
/** TAG_RE matches a tag: 1..128 characters, starting with [A-Za-z0-9_]. */
export const TAG_RE = new RegExp(`^${TAG}$`);
/** IMAGE_ID_RE matches a bare 64-hex image ID. */
export const IMAGE_ID_RE = /^[a-f0-9]{64}$/;

/** NAME_MAX_LENGTH caps the repository path (domain not counted, `library/` counted). */
export const NAME_MAX_LENGTH = 255;
/** DEFAULT_DOMAIN is the registry a name without a host refers to. */
export const DEFAULT_DOMAIN = 'docker.io';
/** LEGACY_DEFAULT_DOMAIN is the old spelling of Docker Hub, aliased to {@link DEFAULT_DOMAIN}. */
export const LEGACY_DEFAULT_DOMAIN = 'index.docker.io';
/** OFFICIAL_REPO_PREFIX is prepended to one-component Docker Hub paths. */
export const OFFICIAL_REPO_PREFIX = 'library/';
/** DEFAULT_TAG is applied when a reference has neither tag nor digest. */
export const DEFAULT_TAG = 'latest';
