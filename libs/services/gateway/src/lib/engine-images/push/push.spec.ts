import { lastValueFrom, tap, toArray } from 'rxjs';
import { GET_IMAGE_V1, ImageRecord, LIST_IMAGES_V1, PUSH_IMAGE_V1 } from '@stevedore/contracts';
import { parseReference } from '@stevedore/domain';
import { fakeBus } from '../../engine-containers/testing/fake-runtime';
import { EventLog } from '../events/event-log';
import { registryOf } from '../login/login.controller';
import { PushUseCase, render } from './push.use-case';

const layer = `sha256:${'a'.repeat(64)}`;
const config = `sha256:${'c'.repeat(64)}`;

describe('push stream rendering', () => {
  it('renders the exporter’s events as Docker’s push messages, layers only', () => {
    const layers = new Set<string>();
    const target = parseReference('127.0.0.1:5000/team/app:v1');
    const out = [
      { type: 'layers', digests: [layer] },
      { type: 'pushing', digest: layer, current: 10, total: 20 },
      { type: 'pushing', digest: config, current: 1, total: 1 },
      { type: 'blob', digest: config, outcome: 'uploaded' },
      { type: 'blob', digest: layer, outcome: 'mounted', from: 'library/app' },
      { type: 'pushed', digest: `sha256:${'d'.repeat(64)}`, size: 527 },
    ].flatMap((e) => render(e as Parameters<typeof render>[0], target, layers));
    expect(out).toEqual([
      { status: 'Preparing', progressDetail: {}, id: 'aaaaaaaaaaaa' },
      { status: 'Pushing', progressDetail: { current: 10, total: 20 }, id: 'aaaaaaaaaaaa' },
      { status: 'Mounted from library/app', progressDetail: {}, id: 'aaaaaaaaaaaa' },
      { status: `v1: digest: sha256:${'d'.repeat(64)} size: 527` },
      { progressDetail: {}, aux: { Tag: 'v1', Digest: `sha256:${'d'.repeat(64)}`, Size: 527 } },
    ]);
  });
});

describe('login server address', () => {
  it.each([
    ['https://index.docker.io/v1/', 'docker.io'],
    ['', 'docker.io'],
    ['127.0.0.1:5000', '127.0.0.1:5000'],
    ['https://registry.example.com/v2/', 'registry.example.com'],
  ])('%s is %s', (address, registry) => expect(registryOf(address)).toBe(registry));
});

describe('push of what is not here (fake metadata on a fake bus)', () => {
  const host = '127.0.0.1:5000';
  const image = {
    id: `sha256:${'e'.repeat(64)}`,
    repoTags: [`${host}/team/app:v1`],
    repoDigests: [],
    manifests: [{ digest: `sha256:${'d'.repeat(64)}`, mediaType: 'x' }],
    labels: {},
  } as unknown as ImageRecord;
  const push = new PushUseCase(
    fakeBus({
      [LIST_IMAGES_V1]: () => ({ images: [image] }),
      [GET_IMAGE_V1]: ({ ref }) => (image.repoTags.includes(String(ref)) ? image : undefined),
      [PUSH_IMAGE_V1]: () => [],
    }),
    { publish: () => undefined } as unknown as EventLog,
  );
  const run = (name: string, tag?: string) =>
    lastValueFrom(push.execute({ name, ...(tag ? { tag } : {}) }).pipe(toArray())).then(
      () => undefined,
      (err: Error) => err.message,
    );
  const seen = async (name: string, tag?: string) => {
    const lines: unknown[] = [];
    const error = await lastValueFrom(
      push.execute({ name, ...(tag ? { tag } : {}) }).pipe(
        tap((m) => lines.push(m)),
        toArray(),
      ),
    ).then(
      () => undefined,
      (err: Error) => err.message,
    );
    return { lines, error };
  };

  it('says which repository first, then that the tag does not exist (dockerd 20.10’s words)', async () => {
    expect(await seen(`${host}/team/app`, 'absent')).toEqual({
      lines: [{ status: `The push refers to repository [${host}/team/app]` }],
      error: `tag does not exist: ${host}/team/app:absent`,
    });
  });

  it('says no image exists locally when the repository has no reference at all', async () => {
    expect(await seen(`${host}/team/other`, 'v1')).toEqual({
      lines: [{ status: `The push refers to repository [${host}/team/other]` }],
      error: `An image does not exist locally with the tag: ${host}/team/other`,
    });
    expect(await run('nosuchimage')).toBe(
      'An image does not exist locally with the tag: nosuchimage',
    );
  });

  it('refuses a bad name before streaming anything', async () => {
    expect(await seen('Bad/Name', 'v1')).toEqual({
      lines: [],
      error: expect.stringContaining('invalid reference format'),
    });
  });
});
