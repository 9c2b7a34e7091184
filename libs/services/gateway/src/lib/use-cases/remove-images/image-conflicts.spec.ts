import type { ImageRecord } from '@stevedore/contracts';
import { DomainError } from '@stevedore/domain';
import { planRemoval } from './image-conflicts';

const ID = 'sha256:1c35c4412082' + '0'.repeat(52);
const CID = 'f0767e2e8964' + 'a'.repeat(52);

function image(repoTags: string[], repoDigests: string[] = []): ImageRecord {
  return { id: ID, repoTags, repoDigests } as unknown as ImageRecord;
}

function conflict(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof DomainError && err.code === 'CONFLICT') return err.message;
    throw err;
  }
  throw new Error('no conflict');
}

const busybox = image(
  ['docker.io/library/busybox:latest'],
  ['docker.io/library/busybox@sha256:' + 'b'.repeat(64)],
);
const stopped = [{ id: CID, running: false }];
const running = [{ id: CID, running: true }];

describe('rmi of an image containers use (dockerd image_delete.go)', () => {
  it('refuses the only name of an image a container uses, unless forced', () => {
    expect(conflict(() => planRemoval('busybox', busybox, stopped, false))).toBe(
      'conflict: unable to remove repository reference "busybox" (must force) - container f0767e2e8964 is using its referenced image 1c35c4412082',
    );
    expect(planRemoval('busybox', busybox, running, true)).toEqual({ keepImage: true });
  });
  it('untags one of several names without deleting the image', () => {
    const twoNames = image(['docker.io/library/busybox:latest', 'docker.io/library/busybox:1.0']);
    expect(planRemoval('busybox:1.0', twoNames, stopped, false)).toEqual({ keepImage: true });
  });
  it('refuses by ID: a running container cannot be forced, a stopped one must be', () => {
    expect(conflict(() => planRemoval('1c35c4412082', busybox, running, true))).toBe(
      'conflict: unable to delete 1c35c4412082 (cannot be forced) - image is being used by running container f0767e2e8964',
    );
    expect(conflict(() => planRemoval('1c35c4412082', busybox, stopped, false))).toBe(
      'conflict: unable to delete 1c35c4412082 (must be forced) - image is being used by stopped container f0767e2e8964',
    );
    expect(planRemoval('sha256:1c35', busybox, stopped, true)).toEqual({ keepImage: false });
  });
  it('leaves images no container uses to the usual rules', () => {
    expect(planRemoval('busybox', busybox, [], false)).toEqual({ keepImage: false });
    expect(planRemoval('1c35c4412082', busybox, [], false)).toEqual({ keepImage: false });
  });
  it('lets the several-repositories conflict come first by ID without force', () => {
    const spread = image(['docker.io/library/busybox:latest', 'docker.io/library/other:1']);
    expect(planRemoval('1c35c4412082', spread, stopped, false)).toEqual({ keepImage: false });
  });
});
