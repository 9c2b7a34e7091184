import { Digest } from '../digest/digest';
import { IMAGE_ID_RE } from './grammar';
import { parseReference } from './parse-reference';
import { Reference } from './reference';

/**
 * ImageLookup is how a user's image argument must be looked up:
 * - `id`: a full image ID (a bare 64-hex string, or any valid digest such as `sha256:<64 hex>`);
 *   look it up by ID only.
 * - `reference`: a name; look it up by name. When `idPrefix` is set the input also has the shape of a
 *   truncated ID (`[sha256:]<1..63 lower-case hex>`, given here without `sha256:`) and the caller
 *   must ALSO try it as an ID prefix if the name is not found, as Docker does (name first, then ID
 *   prefix; an ambiguous prefix is the caller's error to report).
 *
 * There is no prefix-only variant: every candidate prefix is also a valid name (`abc123` is
 * `docker.io/library/abc123`, `sha256:abc` is `docker.io/library/sha256:abc`).
 */
export type ImageLookup =
  | { readonly kind: 'id'; readonly digest: Digest }
  | { readonly kind: 'reference'; readonly reference: Reference; readonly idPrefix?: string };

const TRUNCATED_ID_RE = /^(?:sha256:)?([a-f0-9]{1,63})$/;

/**
 * parseImageIdOrReference interprets an argument of a command that accepts image IDs (`inspect`,
 * `rmi`, `tag`, `save`, `history`) with Docker's `ParseAnyReference` semantics, returning an
 * {@link ImageLookup}; throws INVALID_ARGUMENT like {@link parseReference} when it is neither.
 */
export function parseImageIdOrReference(input: string): ImageLookup {
  if (IMAGE_ID_RE.test(input)) return { kind: 'id', digest: Digest.parse(`sha256:${input}`) };
  if (Digest.isValid(input)) return { kind: 'id', digest: Digest.parse(input) };
  const reference = parseReference(input);
  const prefix = TRUNCATED_ID_RE.exec(input)?.[1];
  return prefix === undefined
    ? { kind: 'reference', reference }
    : { kind: 'reference', reference, idPrefix: prefix };
}
