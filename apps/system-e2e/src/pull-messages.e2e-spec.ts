import { RegistryHandle, startRegistry } from '@stevedore/testing';
import { killAllApps } from './support/app-process';
import { LayeredImage, pushLayeredImage } from './support/layered-image';
import { pull } from './support/native-api';
import { Topology, startCluster, startEmbedded } from './support/topology';

/**
 * Bus messages per pulled layer, measured: two fresh images of N and 2N layers are pulled and the
 * difference of the messages every process handled, divided by N, is what one more layer costs
 * (what a pull costs whatever its size cancels out). Before the pull moved into the fetcher
 * (main at 7d1c372) it was 5 on both topologies — a blob lease, a back-off read, a download slot
 * and two releases in metadata for every layer — and the pulls of 5 and 10 layers cost 28 and 53.
 */
const N = 5;
const BEFORE_PER_LAYER = { embedded: 5, cluster: 5 } as const;

let registry: RegistryHandle;
let images: Record<'embedded' | 'cluster', [LayeredImage, LayeredImage]>;

beforeAll(async () => {
  registry = await startRegistry();
  const push = (name: string, count: number, seed: number) =>
    pushLayeredImage(registry.host, `measure/${name}`, count, seed);
  images = {
    embedded: [await push('embedded-small', N, 9100), await push('embedded-big', 2 * N, 9200)],
    cluster: [await push('cluster-small', N, 9300), await push('cluster-big', 2 * N, 9400)],
  };
}, 180_000);

afterAll(async () => {
  await killAllApps();
  await registry?.stop();
});

/** messagesHandled sums `stevedore_messages_total` over every sample of every process. */
async function messagesHandled(topology: Topology): Promise<number> {
  const bases = [...new Set([topology.url, ...topology.health.values()])];
  let total = 0;
  for (const base of bases) {
    const text = await (await fetch(`${base}/metrics`)).text();
    for (const line of text.split('\n'))
      if (line.startsWith('stevedore_messages_total{')) total += Number(line.split(' ').at(-1));
  }
  return total;
}

/** messagesOfPull pulls `image` and returns how many messages the pull cost over all processes. */
async function messagesOfPull(topology: Topology, image: LayeredImage): Promise<number> {
  const before = await messagesHandled(topology);
  const lines = await pull(topology.url, image.reference);
  expect(lines.at(-1)).toMatchObject({ event: 'image', image: { id: image.configDigest } });
  expect(lines.filter((l) => l.event === 'blob' && l.state === 'done')).toHaveLength(
    image.layers.length,
  );
  await new Promise((r) => setTimeout(r, 500)); // let late acknowledgements land
  return (await messagesHandled(topology)) - before;
}

describe.each([
  ['embedded', () => startEmbedded()],
  ['cluster', () => startCluster({ health: true })],
] as const)('bus messages per pulled layer, %s topology', (name, start) => {
  let topology: Topology;

  beforeAll(async () => {
    topology = await start();
  }, 120_000);

  afterAll(async () => topology?.stop());

  it(`costs at most half of the ${BEFORE_PER_LAYER[name]} messages per layer it cost before`, async () => {
    const [small, big] = images[name];
    const ofSmall = await messagesOfPull(topology, small);
    const ofBig = await messagesOfPull(topology, big);
    const perLayer = (ofBig - ofSmall) / N;
    console.info(
      `${name}: pull of ${N} layers ${ofSmall} messages, of ${2 * N} layers ${ofBig} messages, ` +
        `${perLayer} per layer (before: ${BEFORE_PER_LAYER[name]})`,
    );
    expect(perLayer).toBeLessThanOrEqual(BEFORE_PER_LAYER[name] / 2);
  });
});
