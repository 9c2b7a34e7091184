/** ImageSummary is one item of the Engine API's `GET /images/json` answer (`Created` in unix seconds). */
export interface ImageSummary {
  Id: string;
  ParentId: string;
  RepoTags: string[];
  RepoDigests: string[];
  Created: number;
  Size: number;
  SharedSize: number;
  Labels: Record<string, string> | null;
  Containers: number;
  /** Below API 1.44 only, equal to `Size` (dockerd dropped it in 1.44). */
  VirtualSize?: number;
  /** Only with `manifests=1` (API 1.47+): what `docker image ls --tree` shows. */
  Manifests?: ManifestSummary[];
}

/** ManifestSummary is moby's `image.ManifestSummary`: one platform manifest of a listed image. */
export interface ManifestSummary {
  ID: string;
  Descriptor: {
    mediaType: string;
    digest: string;
    size: number;
    platform: { architecture: string; os: string; variant?: string };
  };
  Available: boolean;
  Size: { Total: number; Content: number };
  Kind: 'image' | 'attestation' | 'unknown';
  ImageData: {
    Platform: { architecture: string; os: string; variant?: string };
    Containers: string[];
    Size: { Unpacked: number };
  };
}

/** ImageInspectConfig is `Config` in {@link ImageInspect}: image-config keys (from API 1.50), else every `container.Config` key. */
export type ImageInspectConfig = Record<string, unknown>;

/** ImageInspect is the Engine API's `GET /images/{name}/json` answer (`Created` an RFC 3339 string). */
export interface ImageInspect {
  Id: string;
  RepoTags: string[];
  RepoDigests: string[];
  Parent: string;
  Comment: string;
  Created: string;
  /** Below API 1.45 only, always empty. */
  Container?: string;
  /** Below API 1.45 only, an empty `container.Config`. */
  ContainerConfig?: ImageInspectConfig;
  DockerVersion: string;
  Author: string;
  Config: ImageInspectConfig;
  Architecture: string;
  Variant?: string;
  Os: string;
  OsVersion?: string;
  Size: number;
  /** Below API 1.44 only, equal to `Size`. */
  VirtualSize?: number;
  GraphDriver: { Name: string; Data: Record<string, string> | null };
  RootFS: { Type: 'layers'; Layers: string[] };
  Metadata: { LastTagTime: string };
}

/** HistoryResponseItem is one item of `GET /images/{name}/history`, newest first (`Created` in unix seconds). */
export interface HistoryResponseItem {
  Id: string;
  Created: number;
  CreatedBy: string;
  Tags: string[] | null;
  Size: number;
  Comment: string;
}

/** DeleteResponseItem is one item of `DELETE /images/{name}`: exactly one of the two keys. */
export type DeleteResponseItem = { Untagged: string } | { Deleted: string };

/** JsonMessage is one message of a Docker JSON progress stream (pull, push, load, import), as the CLI decodes it. */
export interface JsonMessage {
  status?: string;
  /** Text the CLI prints as it is (load's `Loaded image: …\n`). */
  stream?: string;
  /** Push's final `{Tag, Digest, Size}`. */
  aux?: Record<string, unknown>;
  id?: string;
  progressDetail?: { current?: number; total?: number };
  /** The bar dockerd draws for `progressDetail` (`[==>   ]  1.2MB/3.4MB`). */
  progress?: string;
  errorDetail?: { message: string };
  error?: string;
}
