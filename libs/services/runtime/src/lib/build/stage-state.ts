import type { ImageRecord } from '@stevedore/contracts';
import type { Env } from './language';
import type { RunConfig } from './steps/run-config';

/** dockerd's `builtinAllowedBuildArgs`: usable without an ARG, never warned about. */
export const BUILTIN_ARGS = [
  'HTTP_PROXY',
  'http_proxy',
  'HTTPS_PROXY',
  'https_proxy',
  'FTP_PROXY',
  'ftp_proxy',
  'NO_PROXY',
  'no_proxy',
  'ALL_PROXY',
  'all_proxy',
];

const DEFAULT_PATH = 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/**
 * StageState is dockerd's `dispatchState` for one stage: the image the next step builds on, the
 * config in force, the ARGs declared so far and the MAINTAINER (each step's history author).
 */
export class StageState {
  config: RunConfig;
  maintainer: string | undefined;
  cmdSet = false;
  /** ARGs declared in this stage, with their default (expanded when declared). */
  readonly declared = new Map<string, string | undefined>();

  constructor(
    public image: ImageRecord,
    private readonly buildArgs: Readonly<Record<string, string | null>>,
    public readonly name: string | undefined,
  ) {
    const parsed = JSON.parse(image.configJson || '{}') as { config?: RunConfig | null };
    this.config = structuredClone(parsed.config ?? {});
    const env = (this.config['Env'] as string[] | null | undefined) ?? [];
    if (!env.some((e) => e.startsWith('PATH='))) this.config['Env'] = [...env, DEFAULT_PATH];
    this.config['OpenStdin'] = false;
    this.config['StdinOnce'] = false;
  }

  get imageId(): string {
    return this.image.id;
  }

  envList(): string[] {
    return (this.config['Env'] as string[] | null | undefined) ?? [];
  }

  /**
   * allowedArgs is dockerd's `FilterAllowed`: declared args with a value, and the proxy args the
   * request gave (allowed undeclared), not shadowed by ENV. `cacheKey` leaves out the proxy args
   * no ARG declared (dockerd's `IsReferencedOrNotBuiltin`): a proxy change keeps the cache.
   */
  allowedArgs(cacheKey = false): string[] {
    const names = new Set(this.envList().map((e) => e.split('=', 1)[0]));
    const out: string[] = [];
    for (const [name, fallback] of this.declared) {
      if (names.has(name)) continue;
      const given = this.buildArgs[name];
      const value = given === undefined || given === null ? fallback : given;
      if (value !== undefined) out.push(`${name}=${value}`);
    }
    if (cacheKey) return out;
    for (const name of BUILTIN_ARGS) {
      const given = this.buildArgs[name];
      if (!this.declared.has(name) && !names.has(name) && typeof given === 'string')
        out.push(`${name}=${given}`);
    }
    return out;
  }

  /** env is what a step's words expand with: ENV first, then the args (dockerd's order). */
  env(): Env {
    const map = new Map<string, string>();
    for (const entry of [...this.envList(), ...this.allowedArgs()]) {
      const at = entry.indexOf('=');
      const key = at < 0 ? entry : entry.slice(0, at);
      if (!map.has(key)) map.set(key, at < 0 ? '' : entry.slice(at + 1));
    }
    return map;
  }
}
