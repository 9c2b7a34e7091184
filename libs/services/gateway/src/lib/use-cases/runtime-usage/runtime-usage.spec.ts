import {
  IMAGES_IN_USE_V1,
  LIST_CONTAINERS_V1,
  ImageListV1,
  LIST_IMAGES_V1,
  LIST_IMAGE_SUMMARIES_V1,
  STORE_USAGE_V1,
  ENGINE_IDENTITY_V1,
  REGISTRY_CONFIG_V1,
  RECLAIM_INGESTS_V1,
  REMOVE_IMAGE_V1,
  COLLECT_BLOBS_V1,
  ImageRecord,
  GET_IMAGE_V1,
} from '@stevedore/contracts';
import { DomainError, contentLayers } from '@stevedore/domain';

/** summaryOf is what metadata's summary listing answers for `image`. */
const summaryOf = (image: ImageRecord) => ({
  ...image,
  layers: contentLayers(image.manifests, image.configJson),
});
import { fakeBus, Handler } from '../../engine-containers/testing/fake-runtime';
import { containerJson } from '../../engine-containers/mapping/container-fixture';
import { InfoUseCase } from '../../engine-images/info/info.use-case';
import { ImageListing } from '../../engine-images/list/image-listing';
import { ListImagesUseCase } from '../../engine-images/list/list.use-case';
import { PruneImagesUseCase } from '../../engine-images/prune/prune.use-case';
import { SystemDfUseCase } from '../../engine-images/system-df/system-df.use-case';
import { RemoveImagesUseCase } from '../remove-images/remove-images.use-case';
import { RuntimeUsage } from './runtime-usage';

const used = {
  id: 'sha256:' + 'a'.repeat(64),
  repoTags: [],
  repoDigests: [],
  manifests: [],
  size: 10,
  labels: {},
  created: '2026-01-01T00:00:00Z',
};
const unused = { ...used, id: 'sha256:' + 'b'.repeat(64) };
const images = [used, unused] as unknown as ImageRecord[];
const web = containerJson({
  Image: used.id,
  State: { Status: 'running', Running: true, StartedAt: '2026-01-01T00:00:01Z' },
  SizeRw: 7,
});
const done = containerJson({
  Id: 'd'.repeat(64),
  Image: used.id,
  State: {
    Status: 'exited',
    StartedAt: '2026-01-01T00:00:01Z',
    FinishedAt: '2026-01-01T00:00:02Z',
  },
  SizeRw: 5,
});

/** The image side's own services, answering as they do; the runtime's answers are the test's. */
function imageServices(
  runtime: Record<string, Handler>,
  removed: string[] = [],
): Record<string, Handler> {
  return {
    [LIST_IMAGES_V1]: (): ImageListV1 => ({ images }),
    [LIST_IMAGE_SUMMARIES_V1]: () => ({ images: images.map(summaryOf) }),
    [STORE_USAGE_V1]: () => ({ bytes: 20 }),
    [ENGINE_IDENTITY_V1]: () => ({ id: 'ID', dataRoot: '/data' }),
    [REGISTRY_CONFIG_V1]: () => ({ mirrors: [], insecureRegistries: [] }),
    [RECLAIM_INGESTS_V1]: () => ({ reclaimedBytes: 0 }),
    [REMOVE_IMAGE_V1]: ({ ref }) => (
      removed.push(String(ref)),
      { items: [{ Deleted: ref }], releasedBlobs: [] }
    ),
    [COLLECT_BLOBS_V1]: () => ({ reclaimedBytes: 0 }),
    [GET_IMAGE_V1]: ({ ref }) => images.find((i) => i.id === ref),
    ...runtime,
  };
}

const withRuntime = {
  [LIST_CONTAINERS_V1]: () => ({ containers: [web, done] }),
  [IMAGES_IN_USE_V1]: () => ({
    images: [{ imageId: used.id, containers: [{ id: web.Id, running: true }] }],
  }),
};

describe('image commands count containers, and degrade to none without a runtime (fake runtime on a fake bus)', () => {
  beforeEach(() => RuntimeUsage.forgetAbsence());

  it('docker info counts containers by state', async () => {
    const bus = fakeBus(imageServices(withRuntime));
    const info = await new InfoUseCase(bus, new RuntimeUsage(bus)).execute();
    expect(info).toMatchObject({
      Containers: 2,
      ContainersRunning: 1,
      ContainersPaused: 0,
      ContainersStopped: 1,
    });
  });

  it('docker info and system df say no containers when no runtime answers', async () => {
    const bus = fakeBus(imageServices({}));
    const info = await new InfoUseCase(bus, new RuntimeUsage(bus)).execute();
    expect(info).toMatchObject({ Containers: 0, ContainersRunning: 0, ContainersStopped: 0 });
    const df = await new SystemDfUseCase(bus, new RuntimeUsage(bus)).execute();
    expect(df.Containers).toEqual([]);
    expect(df.Images.map((i) => i.Containers)).toEqual([0, 0]);
  });

  it('system df lists containers with their sizes and counts them per image', async () => {
    const bus = fakeBus(imageServices(withRuntime));
    const df = await new SystemDfUseCase(bus, new RuntimeUsage(bus)).execute();
    expect(df.Containers.map((c) => [c.State, c.SizeRw])).toEqual([
      ['running', 7],
      ['exited', 5],
    ]);
    expect(df.Images.map((i) => i.Containers)).toEqual([2, 0]);
  });

  it('docker images counts containers from API 1.51 and says -1 before', async () => {
    const bus = fakeBus(imageServices(withRuntime));
    const list = new ListImagesUseCase(bus, new RuntimeUsage(bus), new ImageListing(bus));
    const counted = await list.execute({ countContainers: true });
    expect(counted.map((i) => [i.Id, i.Containers])).toEqual([
      [used.id, 2],
      [unused.id, 0],
    ]);
    expect((await list.execute({})).map((i) => i.Containers)).toEqual([-1, -1]);
  });

  it('image prune -a keeps the image a container uses', async () => {
    const removed: string[] = [];
    const bus = fakeBus(imageServices(withRuntime, removed));
    const runtime = new RuntimeUsage(bus);
    const prune = new PruneImagesUseCase(bus, new RemoveImagesUseCase(bus, runtime), runtime);
    await prune.execute('{"dangling":{"false":true}}');
    expect(removed).toEqual([unused.id]);
  });

  it('takes an unreachable runtime for absent a while when only counting, never when deciding a removal', async () => {
    let asked = 0;
    const bus = fakeBus(imageServices({}));
    const counting = {
      send: (...args: Parameters<typeof bus.send>) => (asked++, bus.send(...args)),
    };
    const usage = new RuntimeUsage(counting as typeof bus);
    await usage.containers();
    await usage.containers();
    expect(asked).toBe(1);
    // What rmi and prune delete depends on the answer: they always ask.
    await usage.imagesInUse();
    expect(asked).toBe(2);
    RuntimeUsage.forgetAbsence();
    await usage.containers();
    expect(asked).toBe(3);
  });

  it('reports a runtime failure other than being unreachable', async () => {
    const bus = fakeBus(
      imageServices({
        [IMAGES_IN_USE_V1]: () => {
          throw DomainError.internal('disk on fire');
        },
      }),
    );
    await expect(new RuntimeUsage(bus).imagesInUse()).rejects.toThrow('disk on fire');
  });
});
