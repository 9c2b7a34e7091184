import { lastValueFrom, tap } from 'rxjs';
import { type ImageRecord, PULL_IMAGE_V1, type PullEventV1 } from '@stevedore/contracts';
import { DomainError, isDomainError, parseReference } from '@stevedore/domain';
import { type BuildSession, scratchImage, short } from './build-session';

const PULL_IDLE_TIMEOUT_MS = 300_000;

/**
 * baseImage is a FROM's image as dockerd's `getFromImage` finds it: `scratch`, an earlier stage
 * by name, a local image, else (or always, with `pull`) a pull through the fetcher, as the
 * gateway's `docker pull` does, its progress relayed into the build's output.
 */
export async function baseImage(s: BuildSession, name: string): Promise<ImageRecord> {
  if (name === 'scratch') return scratchImage();
  const stage = s.stages.get(name.toLowerCase());
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
  let image: ImageRecord | undefined;
  const events = s.deps.bus.stream<PullEventV1>(
    PULL_IMAGE_V1,
    { reference: name, ...(auth ? { registryAuth: auth } : {}) },
    { timeoutMs: PULL_IDLE_TIMEOUT_MS },
  );
  await lastValueFrom(
    events.pipe(
      tap((e) => {
        if (e.type === 'resolved')
          s.out.status({ status: `Pulling from ${ref.path}`, id: ref.tag ?? 'latest' });
        else if (e.type === 'blob' && (e.state === 'done' || e.state === 'exists'))
          s.out.status({
            status: e.state === 'done' ? 'Pull complete' : 'Already exists',
            progressDetail: {},
            id: short(e.digest),
          });
        else if (e.type === 'image') image = e.image;
      }),
    ),
    { defaultValue: undefined },
  );
  if (!image) throw DomainError.internal(`pulling ${name} recorded no image`);
  const digest = image.repoDigests[0]?.split('@')[1];
  if (digest) s.out.status({ status: `Digest: ${digest}` });
  s.out.status({ status: `Status: Downloaded newer image for ${ref.familiar()}` });
  return image;
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
