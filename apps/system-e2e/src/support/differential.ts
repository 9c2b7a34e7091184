import { request as httpRequest } from 'node:http';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CommandResult, runCommand } from './app-process';
import { Dockerd, startDockerd } from './dockerd';
import { Topology, TopologyOptions, startEmbedded } from './topology';

const DOCKER = '/usr/local/bin/docker';
/** The API version both daemons are spoken to at: dockerd 20.10's own. */
export const API = '1.41';

/** An HTTP answer, its body as text (JSON bodies parsed on demand). */
export interface Answer {
  status: number;
  type: string;
  text: string;
}

/** Side is one daemon of the pair: the oracle (dockerd 20.10) or Stevedore. */
export interface Side {
  readonly name: 'dockerd' | 'stevedore';
  /** Runs the docker CLI against this daemon at API 1.41, with a config dir of its own. */
  docker(...args: string[]): Promise<CommandResult>;
  /** Runs a shell pipeline with DOCKER_HOST etc. set (for `docker save | docker load`). */
  shell(script: string, extraEnv?: Record<string, string>): Promise<CommandResult>;
  /** Sends one Engine API request at /v1.41. */
  api(method: string, path: string, body?: Buffer | string, type?: string): Promise<Answer>;
  /** DOCKER_HOST for the SDKs (unix:// for dockerd, tcp:// for Stevedore). */
  readonly host: string;
  readonly env: Record<string, string>;
}

/** Pair is a running dockerd and a running Stevedore, each with its own config dir. */
export interface Pair {
  readonly dockerd: Side;
  readonly stevedore: Side;
  readonly sides: readonly [Side, Side];
  stop(): Promise<void>;
}

type Target = { socketPath: string } | { host: string; port: number };

function send(target: Target, method: string, path: string, body?: Buffer | string, type?: string) {
  return new Promise<Answer>((done, fail) => {
    const headers: Record<string, string> = type ? { 'Content-Type': type } : {};
    const req = httpRequest({ ...target, method, path: `/v${API}${path}`, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        done({
          status: res.statusCode ?? 0,
          type: String(res.headers['content-type'] ?? ''),
          text: Buffer.concat(chunks).toString('utf8'),
        }),
      );
      res.on('error', fail);
    });
    req.on('error', fail);
    req.end(body);
  });
}

function side(name: Side['name'], host: string, target: Target, home: string): Side {
  const env = {
    PATH: process.env['PATH'] ?? '/usr/bin:/bin',
    HOME: home,
    DOCKER_CONFIG: home,
    DOCKER_HOST: host,
    DOCKER_API_VERSION: API,
  };
  return {
    name,
    host,
    env,
    docker: (...args) => runCommand(DOCKER, args, env, 60_000),
    shell: (script, extraEnv = {}) =>
      runCommand('/bin/sh', ['-c', script], { ...env, ...extraEnv }, 60_000),
    api: (method, path, body, type) => send(target, method, path, body, type),
  };
}

/** dockerdFlags gives the oracle the registry settings of Stevedore's config file, as flags. */
function dockerdFlags(options: TopologyOptions): string[] {
  const list = (key: string) => (options.daemonConfig?.[key] as string[] | undefined) ?? [];
  return [
    ...list('insecure-registries').map((r) => `--insecure-registry=${r}`),
    ...list('registry-mirrors').map((m) => `--registry-mirror=${m}`),
  ];
}

/** startPair starts dockerd 20.10 and an embedded Stevedore, each with an empty store. */
export async function startPair(options: TopologyOptions = {}): Promise<Pair> {
  const homes = await mkdtemp(join(tmpdir(), 'stevedore-e2e-differential-'));
  const [oracle, stevedore]: [Dockerd, Topology] = await Promise.all([
    startDockerd(dockerdFlags(options)),
    startEmbedded(undefined, options),
  ]);
  const socketPath = oracle.host.replace(/^unix:\/\//, '');
  const url = new URL(stevedore.url);
  const tcp = { host: url.hostname, port: Number(url.port) };
  await Promise.all(['dockerd', 'stevedore'].map((n) => mkdir(join(homes, n))));
  const dockerdSide = side('dockerd', oracle.host, { socketPath }, join(homes, 'dockerd'));
  const stevedoreSide = side('stevedore', `tcp://${url.host}`, tcp, join(homes, 'stevedore'));
  return {
    dockerd: dockerdSide,
    stevedore: stevedoreSide,
    sides: [dockerdSide, stevedoreSide],
    stop: async () => {
      await Promise.all([oracle.stop(), stevedore.stop()]);
      await rm(homes, { recursive: true, force: true });
    },
  };
}

/** onBoth runs the same step against dockerd and Stevedore, one after the other. */
export async function onBoth<T>(pair: Pair, step: (side: Side) => Promise<T>): Promise<[T, T]> {
  const first = await step(pair.dockerd);
  const second = await step(pair.stevedore);
  return [first, second];
}
