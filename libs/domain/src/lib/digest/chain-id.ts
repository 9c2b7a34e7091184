import { createHash } from 'node:crypto';
import { DomainError } from '../errors/domain-error';
import { Digest } from './digest';

/**
 * chainStep computes one ChainID step, `sha256(parent + " " + diffId)` over the UTF-8 bytes of the
 * full strings (image-spec `identity/chainid.go`); exported for tests with identity strings.
 */
export function chainStep(parent: string, diffId: string): string {
  return `sha256:${createHash('sha256').update(`${parent} ${diffId}`, 'utf8').digest('hex')}`;
}

/**
 * chainIds returns the ChainID of every prefix of `diffIds` (bottom layer first): the first equals the
 * first DiffID, each next one is `sha256(previous + " " + diffId)`. An empty input gives an empty list.
 */
export function chainIds(diffIds: readonly Digest[]): Digest[] {
  const out: Digest[] = [];
  let previous: string | undefined;
  for (const diffId of diffIds) {
    const next: string =
      previous === undefined ? diffId.toString() : chainStep(previous, diffId.toString());
    out.push(Digest.parse(next));
    previous = next;
  }
  return out;
}

/**
 * chainId returns the ChainID of the whole layer stack `diffIds` (the rootfs identity); throws
 * INVALID_ARGUMENT for an empty stack, which has no ChainID.
 */
export function chainId(diffIds: readonly Digest[]): Digest {
  const all = chainIds(diffIds);
  const top = all[all.length - 1];
  if (!top) throw DomainError.invalidArgument('an empty layer stack has no chain ID');
  return top;
}
