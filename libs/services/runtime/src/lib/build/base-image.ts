import { concatMap, lastValueFrom } from 'rxjs';
import {
  type BlobState,
  type ImageRecord,
  PULL_IMAGE_V1,
  type PullEventV1,
} from '@stevedore/contracts';
import { DomainError, isDomainError, parseReference } from '@stevedore/domain';
import { type BuildSession, short } from './build-session';
import { scratchImage } from './images';

const PULL_IDLE_TIMEOUT_MS = 300_000;

/**
 * baseImage is a FROM's image as dockerd's `getFromImage` finds it: `scratch`, an earlier stage
 * by name, a local image, else (or always, with `pull`) a pull through the fetcher, as the
 * gateway's `docker pull` does, its progress relayed into the build's output.
 */
export async function baseImage(s: BuildSession, name: string): Promise<ImageRecord> {
  if (name === 'scratch') return scratchImage();
  const stage = s.stages.byName(name);
  if (stage) return stage;
  if (!s.request.pull) {
    const local = await s.getImage(name).catch((err: unknown) => {
      if (isDomainError(err) && err.code === 'NOT_FOUND') return undefined;
      throw err;
    });
    if (local) return local;
  }
  return pull(s, name);
}

async function pull(s: BuildSession, name: string): Promise<ImageRecord> {
  const ref = parseReference(name).normalized();
  const auth = authFor(s.registryConfig, ref.domain);
  let pulled: { image: ImageRecord; changed: boolean } | undefined;
  let present = false;
  let digest = '';
  const events = s.deps.bus.stream<PullEventV1>(
    PULL_IMAGE_V1,
    { reference: name, ...(auth ? { registryAuth: auth } : {}) },
    { timeoutMs: PULL_IDLE_TIMEOUT_MS },
  );
  await lastValueFrom(
    events.pipe(
      concatMap(async (e) => {
        if (e.type === 'resolved') {
          s.out.status({ status: `Pulling from ${ref.path}`, id: ref.tag ?? 'latest' });
          digest = e.digest;
          present = await hasImage(s, e.manifest.config.digest);
        } else if (e.type === 'blob') {
          // dockerd's puller stops at a config it already has: no layer lines at all.
          if (!present) layerProgress(s, e.digest, e.state);
        } else pulled = { image: e.image, changed: e.changed };
      }),
    ),
    { defaultValue: undefined },
  );
  if (!pulled) throw DomainError.internal(`pulling ${name} recorded no image`);
  if (digest) s.out.status({ status: `Digest: ${digest}` });
  const outcome = pulled.changed ? 'Downloaded newer image' : 'Image is up to date';
  s.out.status({ status: `Status: ${outcome} for ${ref.familiar()}` });
  return pulled.image;
}

/** hasImage says whether the image with this ID (its config's digest) is here already. */
function hasImage(s: BuildSession, id: string): Promise<boolean> {
  return s.getImage(id).then(
    () => true,
    (err: unknown) => {
      if (isDomainError(err) && err.code === 'NOT_FOUND') return false;
      throw err;
    },
  );
}

/** The layer lines of dockerd's pull progress, as the CLI leaves them on screen. */
const LAYER_STATUS: Partial<Record<BlobState, string[]>> = {
  queued: ['Pulling fs layer'],
  verifying: ['Verifying Checksum'],
  done: ['Download complete', 'Pull complete'],
  exists: ['Already exists'],
};

function layerProgress(s: BuildSession, digest: string, state: BlobState): void {
  for (const status of LAYER_STATUS[state] ?? [])
    s.out.status({ status, progressDetail: {}, id: short(digest) });
}

/** authFor picks the registry's entry of `X-Registry-Config` as a pull's `X-Registry-Auth`. */
function authFor(config: string | undefined, domain: string): string | undefined {
  if (!config) return undefined;
  let auths: Record<string, unknown>;
  try {
    auths = JSON.parse(Buffer.from(config, 'base64').toString('utf8')) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  const keys = domain === 'docker.io' ? ['https://index.docker.io/v1/', 'docker.io'] : [domain];
  const found = keys.map((k) => auths[k]).find((v) => v !== undefined);
  return found ? Buffer.from(JSON.stringify(found)).toString('base64') : undefined;
}
