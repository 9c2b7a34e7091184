import { releaseDataRoot, removeAllContainers } from './container-cleanup';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppName, AppProcess, startApp } from './app-process';

const AMQP_URL = process.env['AMQP_URL'] ?? 'amqp://guest:guest@127.0.0.1:5672';
// Each cluster a test file starts gets its own bus namespace, so a late reply never crosses clusters.
let clusters = 0;

/** A running Stevedore: its gateway URL and the processes behind it. */
export interface Topology {
  readonly name: 'embedded' | 'cluster';
  readonly url: string;
  /** Where blobs and metadata live (the blob store's data root). */
  readonly dataRoot: string;
  /** Every gateway's URL (several with gateway replicas); `url` is the first. */
  readonly urls: string[];
  /** The first gateway's registry face (`http://127.0.0.1:<port>`, serving `/v2/`). */
  readonly registry: string;
  /** Every gateway's registry face, in the order of `urls`. */
  readonly registries: string[];
  /** Processes by name: the service name for the first replica, `<service>-<n>` for the others. */
  readonly processes: Map<string, AppProcess>;
  /** Health listeners by process name (cluster with `health: true`; the gateway serves its own on `url`). */
  readonly health: Map<string, string>;
  /** Internal endpoints by process name (cluster: every blobstore and exporter replica, the runtime). */
  readonly internal: Map<string, string>;
  /** The shared secret of the internal endpoints (STEVEDORE_INTERNAL_TOKEN; cluster only). */
  readonly internalToken?: string;
  /** Restarts one service process (cluster only). */
  restart(app: AppName): Promise<void>;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** What a test may configure: the daemon.json-shaped file every process reads (STEVEDORE_CONFIG). */
export interface TopologyOptions {
  daemonConfig?: Record<string, unknown>;
  /** Cluster only: processes per service (`{ fetcher: 3, gateway: 2 }`); metadata (SQLite) stays at 1. */
  replicas?: Partial<Record<'gateway' | 'resolver' | 'fetcher' | 'exporter' | 'blobstore', number>>;
  /** Cluster only: the broker URL every process uses (e.g. through a TCP fault proxy). */
  amqpUrl?: string;
  /** Cluster only: give every service process a health listener (STEVEDORE_HEALTH_LISTEN); see Topology.health. */
  health?: boolean;
  /** More environment for every process (e.g. a TMPDIR of the test's own, to see what is left there). */
  env?: Record<string, string>;
  /** Cluster only: `false` starts no runtime process (image-only work, e.g. pull benchmarks). */
  runtime?: boolean;
  /** The apps directory of another build (a benchmark's baseline); ours by default. */
  dist?: string;
  /**
   * Cluster only: `false` makes fetchers stream downloads to the blobstore over HTTP instead of
   * writing the shared data root themselves (a benchmark compares the two).
   */
  fetcherDataRoot?: boolean;
}

async function configEnv(dir: string, options: TopologyOptions): Promise<Record<string, string>> {
  if (!options.daemonConfig) return {};
  const file = join(dir, 'daemon.json');
  await writeFile(file, JSON.stringify(options.daemonConfig));
  return { STEVEDORE_CONFIG: file };
}

async function gatewayUrl(proc: AppProcess): Promise<string> {
  const [, address] = await proc.waitForOutput(/listening on tcp:\/\/(\S+)/, 60_000);
  return `http://${address}`;
}

/** registryUrl is where a gateway serves `/v2/` (its ready line names it). */
export async function registryUrl(proc: AppProcess): Promise<string> {
  const [, url] = await proc.waitForOutput(/registry (http:\/\/\S+?)\/v2\//, 60_000);
  return url as string;
}

/**
 * Starts the embedded topology: one process, everything inside. With `dataRoot` the caller owns
 * that directory (to restart over the same store); otherwise a fresh one is made and removed.
 */
export async function startEmbedded(
  dataRoot?: string,
  options: TopologyOptions = {},
): Promise<Topology> {
  const root = dataRoot ?? (await mkdtemp(join(tmpdir(), 'stevedore-embedded-')));
  const config = await configEnv(root, options);
  const proc = startApp(
    'stevedore',
    {
      STEVEDORE_LISTEN: '127.0.0.1:0',
      STEVEDORE_REGISTRY_LISTEN: '127.0.0.1:0',
      STEVEDORE_DATA_ROOT: root,
      ...config,
      ...options.env,
    },
    options.dist,
  );
  const url = await gatewayUrl(proc);
  const registry = await registryUrl(proc);
  return {
    name: 'embedded',
    registry,
    registries: [registry],
    health: new Map(),
    internal: new Map(),
    dataRoot: root,
    url,
    urls: [url],
    processes: new Map([['stevedore', proc]]),
    restart: async () => {
      throw new Error('the embedded topology has one process');
    },
    stop: async () => {
      await removeAllContainers(url);
      await proc.stop();
      await releaseDataRoot(root);
      if (!dataRoot) await rm(root, { recursive: true, force: true });
    },
  };
}

/** freePorts picks a free port for each replica of a service with an internal endpoint. */
function freePorts(count = 1): Promise<number[]> {
  return Promise.all(Array.from({ length: count }, () => freePort()));
}

/** A cluster's environment: each process's variables, its internal endpoints and their token. */
interface ClusterEnv {
  envOf: (app: AppName, replica: number) => Record<string, string>;
  internal: Map<string, string>;
  token: string;
}

/** internalUrls names each replica's internal endpoint after its process (`blobstore`, `blobstore-2`). */
function internalUrls(app: AppName, ports: number[], into: Map<string, string>): void {
  ports.forEach((port, i) =>
    into.set(i === 0 ? app : `${app}-${i + 1}`, `http://127.0.0.1:${port}`),
  );
}

/**
 * clusterEnv gives each process of a cluster its environment: one broker namespace, the
 * blobstores' and exporters' internal ports (free ones), who reaches which, and a token of this
 * cluster's own for the internal endpoints.
 */
async function clusterEnv(dataRoot: string, options: TopologyOptions): Promise<ClusterEnv> {
  const blobPorts = await freePorts(options.replicas?.blobstore);
  const exporterPorts = await freePorts(options.replicas?.exporter);
  const runtimePorts = await freePorts();
  const urls = (ports: number[]) => ports.map((port) => `http://127.0.0.1:${port}`).join(',');
  const token = randomBytes(32).toString('base64url');
  const internal = new Map<string, string>();
  internalUrls('blobstore', blobPorts, internal);
  internalUrls('exporter', exporterPorts, internal);
  internalUrls('runtime', runtimePorts, internal);
  const common = {
    ...(await configEnv(dataRoot, options)),
    AMQP_URL: options.amqpUrl ?? AMQP_URL,
    STEVEDORE_BUS_NAMESPACE: `e2e-cluster-${process.pid}-${++clusters}`,
    STEVEDORE_BLOBSTORE_URL: urls(blobPorts),
    STEVEDORE_INTERNAL_TOKEN: token,
    ...options.env,
  };
  const envOf = (app: AppName, replica: number): Record<string, string> => {
    if (app === 'blobstore')
      return {
        ...common,
        STEVEDORE_DATA_ROOT: dataRoot,
        STEVEDORE_INTERNAL_LISTEN: `127.0.0.1:${blobPorts[replica - 1]}`,
      };
    // Fetchers share the blob store's data root (one host), so downloads land without an HTTP hop.
    const sharesRoot = app === 'fetcher' && options.fetcherDataRoot !== false;
    if (app === 'metadata' || sharesRoot) return { ...common, STEVEDORE_DATA_ROOT: dataRoot };
    if (app === 'exporter')
      return { ...common, STEVEDORE_INTERNAL_LISTEN: `127.0.0.1:${exporterPorts[replica - 1]}` };
    if (app === 'runtime')
      return {
        ...common,
        // The runtime's state is its host's own: a directory of its own, not the blob store's.
        STEVEDORE_DATA_ROOT: runtimeRootOf(dataRoot),
        STEVEDORE_INTERNAL_LISTEN: `127.0.0.1:${runtimePorts[0]}`,
      };
    if (app === 'gateway')
      return {
        ...common,
        STEVEDORE_LISTEN: '127.0.0.1:0',
        STEVEDORE_REGISTRY_LISTEN: '127.0.0.1:0',
        STEVEDORE_EXPORTER_URL: urls(exporterPorts),
        STEVEDORE_RUNTIME_URL: urls(runtimePorts),
      };
    return common;
  };
  return { envOf, internal, token };
}

/** runtimeRootOf is where a cluster's runtime keeps its containers and snapshots. */
export function runtimeRootOf(dataRoot: string): string {
  return join(dataRoot, 'runtime-host');
}

/** Starts the cluster topology: seven processes over RabbitMQ, in a namespace of their own. */
export async function startCluster(options: TopologyOptions = {}): Promise<Topology> {
  const dataRoot = await mkdtemp(join(tmpdir(), 'stevedore-cluster-'));
  const { envOf, internal, token } = await clusterEnv(dataRoot, options);
  const processes = new Map<string, AppProcess>();
  const health = new Map<string, string>();
  const start = async (app: AppName, replica = 1) => {
    const name = replica === 1 ? app : `${app}-${replica}`;
    const healthPort = options.health && app !== 'gateway' ? await freePort() : undefined;
    if (healthPort) health.set(name, `http://127.0.0.1:${healthPort}`);
    const proc = startApp(
      app,
      {
        ...envOf(app, replica),
        ...(healthPort ? { STEVEDORE_HEALTH_LISTEN: `127.0.0.1:${healthPort}` } : {}),
      },
      options.dist,
    );
    processes.set(name, proc);
    await proc.waitForOutput(new RegExp(`${app} ready`), 60_000);
  };
  const replicasOf = (app: AppName): number[] => {
    const count = (options.replicas as Partial<Record<AppName, number>> | undefined)?.[app] ?? 1;
    return Array.from({ length: count }, (_, i) => i + 1);
  };
  const services: AppName[] = ['blobstore', 'metadata', 'resolver', 'fetcher', 'exporter'];
  if (options.runtime !== false) services.push('runtime');
  await Promise.all(services.flatMap((app) => replicasOf(app).map((n) => start(app, n))));
  await Promise.all(replicasOf('gateway').map((n) => start('gateway', n)));
  const urls = await Promise.all(
    replicasOf('gateway').map((n) =>
      gatewayUrl(processes.get(n === 1 ? 'gateway' : `gateway-${n}`) as AppProcess),
    ),
  );
  const url = urls[0] as string;
  const registries = await Promise.all(
    replicasOf('gateway').map((n) =>
      registryUrl(processes.get(n === 1 ? 'gateway' : `gateway-${n}`) as AppProcess),
    ),
  );
  return {
    name: 'cluster',
    registry: registries[0] as string,
    registries,
    health,
    internal,
    internalToken: token,
    dataRoot,
    url,
    urls,
    processes,
    restart: async (app) => {
      await processes.get(app)?.stop();
      await start(app);
    },
    stop: async () => {
      await removeAllContainers(urls[0] as string);
      await Promise.all([...processes.values()].map((p) => p.stop()));
      await releaseDataRoot(runtimeRootOf(dataRoot));
      await rm(dataRoot, { recursive: true, force: true });
    },
  };
}
