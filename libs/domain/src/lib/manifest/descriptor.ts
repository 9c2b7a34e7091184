import { Digest } from '../digest/digest';
import { Platform } from '../platform/platform';
import { JsonReader } from './json-reader';

/**
 * Descriptor names content by `{mediaType, digest, size}` (OCI descriptor), with the optional
 * fields Stevedore uses: `urls` (foreign layers), `annotations`, `platform` (index entries, as
 * written — not normalised), `artifactType` and embedded `data` (base64).
 */
export interface Descriptor {
  readonly mediaType: string;
  readonly digest: Digest;
  readonly size: number;
  readonly urls?: readonly string[];
  readonly annotations?: Readonly<Record<string, string>>;
  readonly platform?: Platform;
  readonly artifactType?: string;
  readonly data?: string;
}

/** readPlatformFields reads OCI platform fields (`os`, `architecture`, `variant`, `os.version`, `os.features`). */
export function readPlatformFields(r: JsonReader): Platform {
  const variant = r.optString('variant');
  const osVersion = r.optString('os.version');
  const osFeatures = r.optStringArray('os.features');
  return {
    os: r.string('os'),
    architecture: r.string('architecture'),
    ...(variant === undefined ? {} : { variant }),
    ...(osVersion === undefined ? {} : { osVersion }),
    ...(osFeatures === undefined ? {} : { osFeatures }),
  };
}

/** readDescriptor validates one descriptor object: digest parses, size is a non-negative safe integer, mediaType is a string. */
export function readDescriptor(r: JsonReader): Descriptor {
  const urls = r.optStringArray('urls');
  const annotations = r.optStringMap('annotations');
  const platform = r.optChild('platform');
  const artifactType = r.optString('artifactType');
  const data = r.optString('data');
  return {
    mediaType: r.string('mediaType'),
    digest: r.digest('digest'),
    size: r.size('size'),
    ...(urls === undefined ? {} : { urls }),
    ...(annotations === undefined ? {} : { annotations }),
    ...(platform === undefined ? {} : { platform: readPlatformFields(platform) }),
    ...(artifactType === undefined ? {} : { artifactType }),
    ...(data === undefined ? {} : { data }),
  };
}

/**
 * parseDescriptor validates an untrusted JSON value (e.g. an `index.json` entry) as a
 * {@link Descriptor}; throws INVALID_ARGUMENT `invalid descriptor: <field> must be …`.
 */
export function parseDescriptor(value: unknown): Descriptor {
  return readDescriptor(JsonReader.root(value, 'descriptor'));
}
