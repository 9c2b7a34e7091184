export const ENGINE_IDENTITY_V1 = 'metadata.engine.identity.v1' as const;
/**
 * Asks for this Stevedore's identity (`docker info`'s `ID` and `DockerRootDir`): an id created once
 * under the metadata service's data root and the same for as long as that data root lives.
 */
export class EngineIdentityRequestV1 {}
export interface EngineIdentityV1 {
  /** A UUID, as dockerd 23+ keeps in `<data-root>/engine-id`. */
  id: string;
  /** The data root the id (and the metadata) lives under. */
  dataRoot: string;
}
