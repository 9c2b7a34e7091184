import { parseReference } from '@stevedore/domain';
import { registryOf } from '../login/login.controller';
import { render } from './push.use-case';

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
