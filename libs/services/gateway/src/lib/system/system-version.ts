/** SystemComponent is one entry of `Components` in {@link SystemVersion}. */
export interface SystemComponent {
  readonly Name: string;
  readonly Version: string;
  readonly Details?: Readonly<Record<string, string>>;
}

/** SystemVersion is the Engine API's `GET /version` answer, as `docker version` decodes it. */
export interface SystemVersion {
  readonly Platform: { readonly Name: string };
  readonly Components: readonly SystemComponent[];
  readonly Version: string;
  readonly ApiVersion: string;
  readonly MinAPIVersion: string;
  readonly GitCommit: string;
  readonly GoVersion: string;
  readonly Os: string;
  readonly Arch: string;
  readonly KernelVersion: string;
  readonly BuildTime: string;
}
