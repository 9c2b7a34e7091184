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

const DEFAULT_PATH = 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

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
    Env: mergeEnv(image.Env ?? [DEFAULT_PATH], strings(request['Env'], 'Env') ?? []),
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

/** mergeEnv overrides the image's variables by name with the request's. */
export function mergeEnv(base: readonly string[], extra: readonly string[]): string[] {
  const out = [...base];
  for (const entry of extra) {
    const key = entry.split('=', 1)[0];
    const at = out.findIndex((e) => e.split('=', 1)[0] === key);
    if (at >= 0) out[at] = entry;
    else out.push(entry);
  }
  return out;
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
  if (!a && !b) return undefined;
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
