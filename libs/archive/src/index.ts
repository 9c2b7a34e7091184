export { planDockerSave, OCI_LAYOUT } from './lib/plan/plan-docker-save';
export type { SaveImage } from './lib/plan/plan-docker-save';
export { writeArchive } from './lib/write/write-archive';
