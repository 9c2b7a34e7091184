import { BlobReader, readSmallBlob } from '@stevedore/blob-port';
import { recordPresentRequest } from '@stevedore/contracts';
import type { DescriptorDto, RecordImageV1, ResolvedImageV1 } from '@stevedore/contracts';
import { Reference } from '@stevedore/domain';

/** The largest image config a pull reads back (the resolver refused larger ones upstream). */
export const MAX_CONFIG_BYTES = 4 * 1024 * 1024;

/**
 * readConfigJson reads the image config the resolver stored, as text. It is small and bounded;
 * metadata verifies it against the image ID when it records the image.
 */
export async function readConfigJson(store: BlobReader, config: DescriptorDto): Promise<string> {
  return (await readSmallBlob(store, config, MAX_CONFIG_BYTES)).toString('utf8');
}

/**
 * recordRequestFor is what a finished pull of `ref` asks metadata to record: the resolved image,
 * tagged `name:tag` unless it was pulled by digest, and reachable as `name@<top digest>`.
 */
export function recordRequestFor(
  ref: Reference,
  resolved: ResolvedImageV1,
  configJson: string,
): RecordImageV1 {
  return { ...recordPresentRequest(ref, resolved), configJson };
}
