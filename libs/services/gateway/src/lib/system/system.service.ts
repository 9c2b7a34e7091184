import { Injectable } from '@nestjs/common';
import { BUILD_INFO } from '../build-info';
import { API_VERSION } from '../engine/engine-api';
import { hostArch, hostKernelVersion, hostOs } from './host-platform';
import { SystemVersion } from './system-version';

/** SystemService answers the Engine API's system endpoints: ping and version. */
@Injectable()
export class SystemService {
  /** ping returns the body of a successful `/_ping`, which is always `OK`. */
  ping(): string {
    return 'OK';
  }

  /**
   * version describes this gateway in Docker's SystemVersion shape: one "Engine" component whose
   * details `docker version` prints, with the Node.js runtime where Docker reports its Go version;
   * `minApiVersion` is the floor the operator set.
   */
  version(minApiVersion: string): SystemVersion {
    const common = {
      Version: BUILD_INFO.version,
      ApiVersion: API_VERSION,
      MinAPIVersion: minApiVersion,
      GitCommit: BUILD_INFO.gitCommit,
      // Same shape as Go's runtime.Version() ("go1.24.3").
      GoVersion: `node${process.versions.node}`,
      Os: hostOs(),
      Arch: hostArch(),
      KernelVersion: hostKernelVersion(),
      BuildTime: BUILD_INFO.buildTime,
    };
    const { Version, ...details } = common;
    return {
      Platform: { Name: 'Stevedore' },
      Components: [{ Name: 'Engine', Version, Details: { ...details, Experimental: 'false' } }],
      ...common,
    };
  }
}
