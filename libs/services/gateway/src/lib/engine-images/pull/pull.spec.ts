import type { ImageRecord, ResolvedImageV1 } from '@stevedore/contracts';
import { DomainError, PLATFORM_MISMATCH, parseReference } from '@stevedore/domain';
import type { PullEvent } from '../../use-cases/pull-image/pull-image.use-case';
import { PullProgress, shortLayerId } from './pull-progress';
import { pullTarget } from './pull-target';
import { dockerPullError } from './pull.use-case';

const A = `sha256:a46fbb00284b${'0'.repeat(52)}`;
const B = `sha256:9c5a4e3d1b2f${'1'.repeat(52)}`;
const TOP = `sha256:${'f'.repeat(64)}`;

const manifest = {
  layers: [
    { digest: A, size: 100 },
    { digest: B, size: 50 },
  ],
} as ResolvedImageV1['manifest'];
const resolved: PullEvent = {
  type: 'resolved',
  reference: 'x',
  digest: TOP,
  manifest,
};
const blob = (
  digest: string,
  state: 'queued' | 'exists' | 'downloading' | 'verifying' | 'done',
  current = 0,
): PullEvent => ({
  type: 'blob',
  digest,
  state,
  current,
  total: 100,
});
const image = (changed: boolean): PullEvent => ({
  type: 'image',
  image: {} as ImageRecord,
  changed,
});

function render(ref: string, events: PullEvent[]) {
  const progress = new PullProgress(parseReference(ref));
  return events.flatMap((e) => progress.render(e));
}

describe('PullProgress', () => {
  it('renders Docker’s pull stream for a fresh pull', () => {
    const messages = render('busybox', [
      resolved,
      blob(A, 'queued'),
      blob(B, 'queued'),
      blob(A, 'downloading', 40),
      blob(A, 'verifying'),
      blob(A, 'done'),
      blob(B, 'exists'),
      image(true),
    ]);
    expect(messages).toEqual([
      { status: 'Pulling from library/busybox', id: 'latest' },
      { status: 'Pulling fs layer', progressDetail: {}, id: 'a46fbb00284b' },
      { status: 'Pulling fs layer', progressDetail: {}, id: '9c5a4e3d1b2f' },
      {
        status: 'Downloading',
        progressDetail: { current: 40, total: 100 },
        progress: `[====================>${' '.repeat(30)}]      40B/100B`,
        id: 'a46fbb00284b',
      },
      { status: 'Verifying Checksum', progressDetail: {}, id: 'a46fbb00284b' },
      { status: 'Download complete', progressDetail: {}, id: 'a46fbb00284b' },
      { status: 'Already exists', progressDetail: {}, id: '9c5a4e3d1b2f' },
      { status: 'Pull complete', progressDetail: {}, id: 'a46fbb00284b' },
      { status: `Digest: ${TOP}` },
      { status: 'Status: Downloaded newer image for busybox:latest' },
    ]);
  });

  it('names the repository by its path on another registry too, and says up to date when nothing changed', () => {
    const messages = render('127.0.0.1:5000/library/busybox:1.36', [
      resolved,
      blob(A, 'exists'),
      blob(B, 'exists'),
      image(false),
    ]);
    expect(messages[0]).toEqual({
      status: 'Pulling from library/busybox',
      id: '1.36',
    });
    expect(messages.at(-1)).toEqual({
      status: 'Status: Image is up to date for 127.0.0.1:5000/library/busybox:1.36',
    });
    expect(messages.some((m) => m.status === 'Pull complete')).toBe(false);
  });

  it('keys a digest pull by the reference, as dockerd 20.10 does', () => {
    const messages = render(`busybox@${TOP}`, [resolved, image(true)]);
    expect(messages[0]).toEqual({
      status: 'Pulling from library/busybox',
      id: `busybox@${TOP}`,
    });
    expect(messages.at(-1)).toEqual({
      status: `Status: Downloaded newer image for busybox@${TOP}`,
    });
  });

  it('shortens a layer digest to 12 hex digits', () => {
    expect(shortLayerId(A)).toBe('a46fbb00284b');
  });
});

describe('pullTarget', () => {
  it('applies tag or digest from the `tag` parameter', () => {
    expect(String(pullTarget('docker.io/library/busybox', 'latest'))).toBe(
      'docker.io/library/busybox:latest',
    );
    expect(String(pullTarget('docker.io/library/busybox', TOP))).toBe(
      `docker.io/library/busybox@${TOP}`,
    );
    expect(String(pullTarget('busybox:1.36', undefined))).toBe('docker.io/library/busybox:1.36');
  });

  it('reports a pull of every tag, and refuses bad input', () => {
    expect(pullTarget('docker.io/library/busybox', undefined)).toBe('all-tags');
    expect(pullTarget('docker.io/library/busybox', '')).toBe('all-tags');
    expect(() => pullTarget(undefined, 'latest')).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
    expect(() => pullTarget('Busybox', 'latest')).toThrow(/must be lowercase/);
    expect(() => pullTarget('busybox', 'bad tag')).toThrow(/invalid tag format/);
    expect(() => pullTarget('busybox', 'sha256:123')).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
  });
});

describe('dockerPullError', () => {
  const ref = parseReference('reg:5000/x:1');

  it('words a missing repository as Docker’s pull access denied', () => {
    expect(dockerPullError(ref, DomainError.notFound('manifest unknown'))).toMatchObject({
      message:
        "pull access denied for reg:5000/x, repository does not exist or may require 'docker login': manifest unknown",
    });
  });

  it('words a tag the repository lacks as dockerd 20.10: manifest for <ref> not found', () => {
    const unknown = new DomainError('NOT_FOUND', 'manifest unknown', {
      registryCode: 'MANIFEST_UNKNOWN',
    });
    expect(dockerPullError(ref, unknown)).toMatchObject({
      code: 'NOT_FOUND',
      message: 'manifest for reg:5000/x:1 not found: manifest unknown: manifest unknown',
    });
    const byDigest = parseReference(`reg:5000/x@sha256:${'a'.repeat(64)}`);
    expect(dockerPullError(byDigest, unknown)).toMatchObject({
      message: expect.stringMatching(/^pull access denied for reg:5000\/x, .*: manifest unknown: /),
    });
  });

  it('names the registry error code of a missing repository, as distribution prints it', () => {
    const unknown = new DomainError('NOT_FOUND', 'repository name not known to registry', {
      registryCode: 'NAME_UNKNOWN',
    });
    expect(dockerPullError(ref, unknown)).toMatchObject({
      message: expect.stringMatching(/'docker login': name unknown: repository name not known/),
    });
  });

  it('leaves a missing platform as it is: the repository was found', () => {
    const missing = DomainError.notFound(
      'no matching manifest for linux/s390x in the manifest list entries',
      {
        reason: PLATFORM_MISMATCH,
      },
    );
    expect(dockerPullError(ref, missing)).toBe(missing);
  });
});
