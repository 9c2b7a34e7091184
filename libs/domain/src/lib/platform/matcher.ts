import { Platform, normalizePlatform } from './platform';

type Shape = Pick<Platform, 'architecture' | 'variant'>;

const shape = (architecture: string, variant = ''): Shape => ({
  architecture,
  ...(variant ? { variant } : {}),
});

/** armChain lists `arm/v<from>` down to `arm/v5` (32-bit ARM runs older ARM code). */
function armChain(from: number): Shape[] {
  const out: Shape[] = [];
  for (let v = from; v >= 5; v--) out.push(shape('arm', `v${v}`));
  return out;
}

/** amd64Chain lists `amd64/v<level>` down to baseline amd64 (variant ""), then 386. */
function amd64Chain(level: number): Shape[] {
  const out: Shape[] = [];
  for (let v = level; v >= 2; v--) out.push(shape('amd64', `v${v}`));
  return [...out, shape('amd64'), shape('386')];
}

/** arm64Chain lists arm64 variants best first (v9.x → v9 → v8.(x+5) → v8), then the 32-bit ARM chain. */
function arm64Chain(major: number, minor: number): Shape[] {
  const out: Shape[] = [];
  const v8From = major === 9 ? Math.min(minor + 5, 9) : minor;
  if (major === 9) {
    for (let m = minor; m >= 1; m--) out.push(shape('arm64', `v9.${m}`));
    out.push(shape('arm64', 'v9'));
  }
  for (let m = v8From; m >= 1; m--) out.push(shape('arm64', `v8.${m}`));
  return [...out, shape('arm64'), ...armChain(8)];
}

/**
 * compatibilityVector lists, best first, the architecture/variant pairs a machine of `target`
 * (normalised) can run, following containerd's `Only` (§5.3 step 2); other architectures match exactly.
 */
export function compatibilityVector(target: Platform): Shape[] {
  const { architecture, variant = '' } = normalizePlatform(target);
  const level = /^v(\d+)$/.exec(variant);
  if (architecture === 'amd64' && (variant === '' || level))
    return amd64Chain(level ? Number(level[1]) : 1);
  if (architecture === 'arm' && level) return armChain(Number(level[1]));
  const arm64 = /^v(8|9)(?:\.(\d+))?$/.exec(variant === '' ? 'v8' : variant);
  if (architecture === 'arm64' && arm64) return arm64Chain(Number(arm64[1]), Number(arm64[2] ?? 0));
  return [shape(architecture, variant)];
}

/** PlatformMatcher ranks candidate platforms against one target; lower rank is better. */
export interface PlatformMatcher {
  /** The target, normalised. */
  readonly target: Platform;
  /** rank returns the candidate's position in the compatibility vector, or -1 when it cannot run. */
  rank(candidate: Platform): number;
  /** matches tells whether the target can run `candidate`. */
  matches(candidate: Platform): boolean;
}

function majorMinor(version: string): string {
  return version.split('.').slice(0, 2).join('.');
}

/** osCompatible checks OS name, `os.features` ⊆ target's, and (Windows only) matching major.minor `os.version`. */
function osCompatible(target: Platform, candidate: Platform): boolean {
  if (candidate.os !== target.os) return false;
  const features = new Set(target.osFeatures ?? []);
  if (!(candidate.osFeatures ?? []).every((f) => features.has(f))) return false;
  if (target.os !== 'windows' || !target.osVersion || !candidate.osVersion) return true;
  return majorMinor(target.osVersion) === majorMinor(candidate.osVersion);
}

/**
 * platformMatcher builds the {@link PlatformMatcher} for `target`: a candidate matches when, after
 * normalisation, its OS is compatible and its architecture/variant is in the compatibility vector.
 */
export function platformMatcher(target: Platform): PlatformMatcher {
  const normalizedTarget = normalizePlatform(target);
  const vector = compatibilityVector(normalizedTarget);
  const rank = (candidate: Platform): number => {
    const c = normalizePlatform(candidate);
    if (!osCompatible(normalizedTarget, c)) return -1;
    return vector.findIndex(
      (v) => v.architecture === c.architecture && (v.variant ?? '') === (c.variant ?? ''),
    );
  };
  return { target: normalizedTarget, rank, matches: (candidate) => rank(candidate) >= 0 };
}
