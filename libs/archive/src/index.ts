export { planDockerSave, OCI_LAYOUT } from './lib/plan/plan-docker-save';
export type { SaveImage } from './lib/plan/plan-docker-save';
export { writeArchive } from './lib/write/write-archive';
export { readArchive } from './lib/read/read-archive';
export type { ReadArchiveOptions } from './lib/read/read-archive';
export type { LoadedArchive, LoadedImage } from './lib/read/loaded-image';
export { detectCompression } from './lib/read/compression';
export type { Compression } from './lib/read/compression';
