import { from } from 'rxjs';
import type { ImageRecord, PullEventV1 } from '@stevedore/contracts';
import { DomainError } from '@stevedore/domain';
import { baseImage } from './base-image';
import type { BuildSession } from './build-session';
import { BuildOutput } from './output/build-output';
import { StageResults } from './stages/stage-results';

const CONFIG = `sha256:${'c'.repeat(64)}`;
const TOP = `sha256:${'d'.repeat(64)}`;
const LAYER = `sha256:${'1'.repeat(64)}`;
const image = { id: CONFIG, repoDigests: [] } as unknown as ImageRecord;

/** session is what `baseImage` uses of a build: `--pull`, the bus (a scripted pull), the output. */
function session(local: ImageRecord[], pull: PullEventV1[]) {
  const out = new BuildOutput(false);
  const lines: Record<string, unknown>[] = [];
  out.stream.on('data', (chunk: Buffer) => {
    for (const line of chunk.toString().split('\r\n').filter(Boolean))
      lines.push(JSON.parse(line) as Record<string, unknown>);
  });
  const s = {
    request: { pull: true },
    stages: new StageResults(),
    out,
    registryConfig: undefined,
    getImage: async (ref: string) => {
      const found = local.find((i) => i.id === ref);
      if (!found) throw DomainError.notFound(`No such image: ${ref}`);
      return found;
    },
    deps: { bus: { stream: () => from(pull) } },
  } as unknown as BuildSession;
  return { s, lines };
}

const events = (changed: boolean): PullEventV1[] => [
  {
    type: 'resolved',
    reference: '127.0.0.1:5000/library/busybox:latest',
    digest: TOP,
    manifest: { config: { digest: CONFIG }, layers: [{ digest: LAYER }] } as never,
  },
  { type: 'blob', digest: LAYER, state: 'exists', current: 1, total: 1 },
  { type: 'image', image, changed },
];

describe('a FROM pulled with --pull', () => {
  it('says the image is up to date, without layer lines, when it is here and its tag stays', async () => {
    const { s, lines } = session([image], events(false));
    await baseImage(s, '127.0.0.1:5000/library/busybox');
    await new Promise((r) => setImmediate(r));
    expect(lines).toEqual([
      { status: 'Pulling from library/busybox', id: 'latest' },
      { status: `Digest: ${TOP}` },
      { status: 'Status: Image is up to date for 127.0.0.1:5000/library/busybox:latest' },
    ]);
  });

  it('shows the layers of an image it did not have', async () => {
    const { s, lines } = session([], events(true));
    await baseImage(s, '127.0.0.1:5000/library/busybox');
    await new Promise((r) => setImmediate(r));
    expect(lines).toContainEqual({
      status: 'Already exists',
      progressDetail: {},
      id: '111111111111',
    });
    expect(lines.at(-1)).toEqual({
      status: 'Status: Downloaded newer image for 127.0.0.1:5000/library/busybox:latest',
    });
  });
});
