import { Digest } from './digest';

/** EMPTY_TAR_SIZE is the size of an empty tar archive: two 512-byte zero blocks. */
export const EMPTY_TAR_SIZE = 1024;

/**
 * EMPTY_LAYER_DIFF_ID is the DiffID (and blob digest) of an empty tar archive (1024 zero bytes);
 * Docker records a committed diff with this DiffID as `empty_layer: true` instead of a layer.
 */
export const EMPTY_LAYER_DIFF_ID = Digest.parse(
  'sha256:5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef',
);

/** EMPTY_SHA256 is the sha256 digest of zero bytes. */
export const EMPTY_SHA256 = Digest.parse(
  'sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
);

/** EMPTY_SHA512 is the sha512 digest of zero bytes. */
export const EMPTY_SHA512 = Digest.parse(
  'sha512:cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e',
);

/** EMPTY_JSON_DIGEST is the digest of the 2-byte blob `{}` behind the OCI empty descriptor (`data` = `e30=`). */
export const EMPTY_JSON_DIGEST = Digest.parse(
  'sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a',
);
