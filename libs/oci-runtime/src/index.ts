// OCI spec generation (Docker's defaults) and the runc + conmon process driver.
export type {
  BindMount,
  ContainerSpecInput,
  NetworkMode,
  OciMount,
  OciProcess,
  OciSpec,
  ResourceLimits,
} from './lib/spec/types';
export { buildSpec, type BuildSpecOptions } from './lib/spec/build-spec';
export { cgroupCapabilities, type CgroupCapabilities } from './lib/spec/cgroups';
export {
  ALL_CAPABILITIES,
  DEFAULT_CAPABILITIES,
  resolveCapabilities,
} from './lib/spec/capabilities';
export { defaultSeccomp } from './lib/spec/seccomp';
export { resolveUser, type ResolvedUser } from './lib/spec/user';
export { resolveInRoot } from './lib/spec/secure-path';
export { DEFAULT_PATH } from './lib/spec/env';
export { ConmonRuntime, type ConmonRuntimeOptions, type CreateOptions } from './lib/conmon/runtime';
export type { ContainerState, ContainerStatus } from './lib/conmon/runc';
export type { AttachHandle, AttachStreams } from './lib/conmon/attach';
export type { ExecOptions, ExecSession } from './lib/conmon/exec-session';
export type { LogEntry, ReadLogsOptions } from './lib/conmon/logs';
export { parseLogLine, readLogs } from './lib/conmon/logs';
export type { TopResult } from './lib/conmon/top';
export { parseSignal } from './lib/conmon/signals';
export { ociRuntimeError, type RuntimeOp } from './lib/conmon/errors';
