import { DomainError } from '@stevedore/domain';
import type { DockerConfig } from '../store/container-record';

/** ImageConfig is the `config` object of an image config JSON (the keys a container inherits). */
export interface ImageConfig {
  User?: string;
  ExposedPorts?: Record<string, object>;
  Env?: string[];
  Cmd?: string[] | null;
  Entrypoint?: string[] | null;
  Volumes?: Record<string, object> | null;
  WorkingDir?: string;
  Labels?: Record<string, string> | null;
  StopSignal?: string;
  OnBuild?: string[] | null;
  Healthcheck?: Record<string, unknown>;
}

/**
 * mergeConfig is dockerd's merge of a create request's `Config` over its image's: the request's
 * values win; Env is merged by key; ExposedPorts, Volumes and Labels are unions; the image's Cmd
 * is used only when the request gives neither Cmd nor Entrypoint (an Entrypoint resets it).
 */
export function mergeConfig(
  request: Record<string, unknown>,
  image: ImageConfig,
  imageRef: string,
  hostname: string,
): DockerConfig {
  const entrypoint = strings(request['Entrypoint'], 'Entrypoint');
  const cmd = strings(request['Cmd'], 'Cmd');
  const useImageCmd = cmd === undefined && entrypoint === undefined;
  return {
    Hostname: str(request['Hostname']) || hostname,
    Domainname: str(request['Domainname']),
    User: str(request['User']) || image.User || '',
    AttachStdin: request['AttachStdin'] === true,
    AttachStdout: request['AttachStdout'] === true,
    AttachStderr: request['AttachStderr'] === true,
    ...exposed(request, image),
    Tty: request['Tty'] === true,
    OpenStdin: request['OpenStdin'] === true,
    StdinOnce: request['StdinOnce'] === true,
    Env: mergeEnv(strings(request['Env'], 'Env') ?? [], image.Env ?? null),
    Cmd: useImageCmd ? (image.Cmd ?? null) : (cmd ?? null),
    Image: imageRef,
    Volumes: union(image.Volumes, record(request['Volumes'])) ?? null,
    WorkingDir: str(request['WorkingDir']) || image.WorkingDir || '',
    Entrypoint: entrypoint === undefined ? (image.Entrypoint ?? null) : entrypoint,
    OnBuild: image.OnBuild ?? null,
    Labels: { ...(image.Labels ?? {}), ...labels(request['Labels']) },
    ...optional(request, image),
  };
}

/** commandOf is the process a config runs: Entrypoint then Cmd; none is dockerd's 400. */
export function commandOf(config: DockerConfig): { path: string; args: string[] } {
  const argv = [...(config.Entrypoint ?? []), ...(config.Cmd ?? [])];
  const [path, ...args] = argv;
  if (path === undefined || path === '') throw DomainError.invalidArgument('No command specified');
  return { path, args };
}

/**
 * mergeEnv is dockerd's: the request's variables, then the image's whose names the request does
 * not set; neither gives null (dockerd's nil: PATH is added to the process, not the config).
 */
export function mergeEnv(
  request: readonly string[],
  image: readonly string[] | null,
): string[] | null {
  if (request.length === 0) return image ? [...image] : null;
  const names = new Set(request.map((e) => e.split('=', 1)[0]));
  return [...request, ...(image ?? []).filter((e) => !names.has(e.split('=', 1)[0]))];
}

function exposed(request: Record<string, unknown>, image: ImageConfig): Partial<DockerConfig> {
  const ports = union(image.ExposedPorts, record(request['ExposedPorts']));
  return ports ? { ExposedPorts: ports } : {};
}

function optional(request: Record<string, unknown>, image: ImageConfig): Partial<DockerConfig> {
  const out: Partial<DockerConfig> = {};
  const signal = str(request['StopSignal']) || image.StopSignal;
  if (signal) out.StopSignal = signal;
  if (typeof request['StopTimeout'] === 'number') out.StopTimeout = request['StopTimeout'];
  const health = record(request['Healthcheck']) ?? image.Healthcheck;
  if (health) out.Healthcheck = health;
  return out;
}

function union<T extends object>(
  a: Record<string, T> | null | undefined,
  b: Record<string, T> | undefined,
): Record<string, T> | undefined {
  // dockerd: an empty map counts as none (the CLI sends `"Volumes": {}`; inspect shows null).
  const empty = (m: Record<string, T> | null | undefined) => !m || Object.keys(m).length === 0;
  if (empty(a) && empty(b)) return undefined;
  return { ...(a ?? {}), ...(b ?? {}) };
}

function str(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function record<T>(value: unknown): Record<string, T> | undefined {
  return value && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, T>)
    : undefined;
}

function labels(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(record<unknown>(value) ?? {})) out[k] = String(v);
  return out;
}

/** strings reads a string array; a string (the API also takes one) becomes a one-item array. */
function strings(value: unknown, key: string): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return [value];
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value as string[];
  throw DomainError.invalidArgument(`invalid ${key}: expected an array of strings`);
}
