import { readdirSync } from 'node:fs';
import { cpus, hostname, machine, totalmem } from 'node:os';
import type { RuntimeInfoV1 } from '@stevedore/contracts';
import { BUILD_INFO } from '../../build-info';
import { hostKernelVersion, hostOs } from '../../system/host-platform';

/** SystemInfo is the part of Docker's `GET /info` answer the gateway fills in. */
export type SystemInfo = Record<string, unknown>;

/** Swarm is off: `docker inspect` without a type reads LocalNodeState to skip swarm objects. */
const SWARM_INACTIVE = {
  LocalNodeState: 'inactive',
  NodeID: '',
  NodeAddr: '',
  ControlAvailable: false,
  Error: '',
  RemoteManagers: null,
};

/** The keys about containers when no runtime answers: no capability is claimed. */
const NO_RUNTIME = {
  Containers: 0,
  ContainersRunning: 0,
  ContainersPaused: 0,
  ContainersStopped: 0,
  MemoryLimit: false,
  SwapLimit: false,
  KernelMemory: false,
  KernelMemoryTCP: false,
  CpuCfsPeriod: false,
  CpuCfsQuota: false,
  CPUShares: false,
  CPUSet: false,
  PidsLimit: false,
  OomKillDisable: false,
  IPv4Forwarding: false,
  BridgeNfIptables: false,
  BridgeNfIp6tables: false,
  LoggingDriver: '',
  CgroupDriver: '',
  CgroupVersion: '',
  DefaultRuntime: '',
  Runtimes: {},
  InitBinary: '',
  ContainerdCommit: { ID: '', Expected: '' },
  RuncCommit: { ID: '', Expected: '' },
  InitCommit: { ID: '', Expected: '' },
  Isolation: '',
  LiveRestoreEnabled: false,
  GenericResources: null,
};

/**
 * runtimeKeys is what `/info` says about containers: measured by the host's runtime (see
 * RuntimeInfoV1), or nothing claimed when no runtime answers. Names as dockerd's: the `none`
 * network is its `null` driver; logs are json-file (what `docker logs` reads); containers outlive
 * a restart of Stevedore (conmon), which is dockerd's live restore.
 */
export function runtimeKeys(info: RuntimeInfoV1 | undefined): SystemInfo {
  if (!info) return { ...NO_RUNTIME, Plugins: NO_PLUGINS, SecurityOptions: [] };
  return {
    ...NO_RUNTIME,
    MemoryLimit: info.memoryLimit,
    SwapLimit: info.swapLimit,
    CpuCfsPeriod: info.cpuCfsQuota,
    CpuCfsQuota: info.cpuCfsQuota,
    CPUShares: info.cpuShares,
    CPUSet: info.cpuSet,
    PidsLimit: info.pidsLimit,
    OomKillDisable: info.memoryLimit && info.cgroupVersion === '1',
    IPv4Forwarding: info.ipv4Forwarding,
    BridgeNfIptables: info.bridgeNfIptables,
    BridgeNfIp6tables: info.bridgeNfIp6tables,
    LoggingDriver: 'json-file',
    CgroupDriver: info.cgroupVersion === '' ? '' : 'cgroupfs',
    CgroupVersion: info.cgroupVersion,
    DefaultRuntime: 'runc',
    Runtimes: { runc: { path: 'runc' } },
    RuncCommit: { ID: info.runcCommit, Expected: info.runcCommit },
    LiveRestoreEnabled: true,
    Plugins: {
      Volume: ['local'],
      Network: info.networks.map((n) => (n === 'none' ? 'null' : n)).sort(),
      Authorization: null,
      Log: ['json-file'],
    },
    SecurityOptions: [
      ...(info.seccomp ? ['name=seccomp,profile=default'] : []),
      ...(info.cgroupVersion === '2' ? ['name=cgroupns'] : []),
    ],
  };
}

const NO_PLUGINS = { Volume: [], Network: [], Authorization: null, Log: [] };

/** hostInfo is what `docker info` shows that depends on neither the store nor the services. */
export function hostInfo(): SystemInfo {
  return {
    Driver: 'stevedore',
    DriverStatus: [],
    Debug: process.env['STEVEDORE_LOG_LEVEL'] === 'debug',
    NFd: openFiles(),
    // Node has no goroutines; its active handles and requests are the nearest count of concurrent work.
    NGoroutines: process.getActiveResourcesInfo().length,
    SystemTime: new Date().toISOString(),
    NEventsListener: 0,
    KernelVersion: hostKernelVersion(),
    OperatingSystem: 'Stevedore',
    OSVersion: '',
    OSType: hostOs(),
    // dockerd reports `uname -m` here (`x86_64`), unlike `Arch` in `/version`.
    Architecture: machine(),
    NCPU: cpus().length,
    MemTotal: totalmem(),
    Name: hostname(),
    Labels: [],
    ExperimentalBuild: false,
    ServerVersion: BUILD_INFO.version,
    IndexServerAddress: 'https://index.docker.io/v1/',
    Swarm: SWARM_INACTIVE,
    Warnings: null,
    ...proxyInfo(process.env),
  };
}

/** proxyInfo is dockerd's proxy keys from the environment, any credentials in them masked. */
export function proxyInfo(env: NodeJS.ProcessEnv): SystemInfo {
  const read = (...names: string[]) => names.map((n) => env[n]).find((v) => v) ?? '';
  return {
    HttpProxy: maskCredentials(read('HTTP_PROXY', 'http_proxy')),
    HttpsProxy: maskCredentials(read('HTTPS_PROXY', 'https_proxy')),
    NoProxy: read('NO_PROXY', 'no_proxy'),
  };
}

/** maskCredentials hides a proxy URL's user and password as dockerd does (`xxxxx:xxxxx@`). */
function maskCredentials(raw: string): string {
  if (!raw || !URL.canParse(raw)) return raw;
  const url = new URL(raw);
  if (!url.username && !url.password) return raw;
  url.username = 'xxxxx';
  url.password = 'xxxxx';
  return url.toString();
}

function openFiles(): number {
  try {
    return readdirSync('/proc/self/fd').length;
  } catch {
    return 0;
  }
}
