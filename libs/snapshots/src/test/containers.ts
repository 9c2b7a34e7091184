import { execFileSync } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { MemoryBlobStore } from '@stevedore/testing';
import { type RootfsPlan, prepareRootfs } from '../lib/rootfs';
import { type LayerToUnpack, Snapshotter } from '../lib/snapshotter';
import { type TestEntry, storeLayer } from './layers';

export const asRoot = process.getuid?.() === 0;

/** The image of the container tests: a small busybox-like tree in two layers. */
export const IMAGE: TestEntry[][] = [
  [
    { name: 'd/', type: 'directory' },
    { name: 'd/g', content: 'x\n' },
    { name: 'd/sub/', type: 'directory' },
    { name: 'd/sub/f', content: 'hi\n' },
    { name: 'etc/', type: 'directory' },
    { name: 'etc/passwd', content: 'root:x:0:0:root:/root:/bin/sh\n' },
    { name: 'root/', type: 'directory', mode: 0o700 },
    { name: 'tmp/', type: 'directory', mode: 0o1777 },
    { name: 'usr/share/doc/', type: 'directory' },
    { name: 'gone/', type: 'directory' },
    { name: 'gone/file', content: 'deleted by the upper layer' },
  ],
  [
    { name: '.wh.gone' },
    { name: 'etc/', type: 'directory' },
    { name: 'etc/hostname', content: 'image\n' },
    { name: 'etc/hostname-link', type: 'link', linkname: 'etc/hostname' },
  ],
];

/** Images holds a snapshotter with the test image unpacked, under `dataRoot`. */
export class Images {
  readonly store = new MemoryBlobStore();
  readonly snapshots: Snapshotter;
  layers: LayerToUnpack[] = [];

  constructor(readonly dataRoot: string) {
    this.snapshots = new Snapshotter(this.store, dataRoot);
  }

  async unpack(image: readonly TestEntry[][] = IMAGE): Promise<LayerToUnpack[]> {
    const layers: LayerToUnpack[] = [];
    for (const entries of image) layers.push(await storeLayer(this.store, entries));
    for (const layer of layers) await this.snapshots.unpackLayer(layer);
    this.layers = layers;
    return layers;
  }

  /** container prepares a root named `name` over `layers`, in the mode asked for. */
  async container(
    name: string,
    overlay: boolean,
    layers: readonly LayerToUnpack[] = this.layers,
  ): Promise<RootfsPlan> {
    const dir = join(this.dataRoot, 'containers', name);
    await mkdir(dir, { recursive: true });
    return prepareRootfs(
      this.snapshots,
      layers.map((l) => l.diffId),
      dir,
      { overlay },
    );
  }
}

/** listing is what `find` says of a tree (the root itself left out), mtimes in whole seconds. */
export function listing(dir: string): string[] {
  return execFileSync('find', ['.', '-mindepth', '1', '-printf', '%p %M %U:%G %s %T@ %l\n'], {
    cwd: dir,
    encoding: 'utf8',
  })
    .trim()
    .split('\n')
    .map((line) => line.replace(/ (\d+)\.\d+( |$)/, ' $1$2').replace(/^(\S+ d\S+ \S+) \d+/, '$1 -'))
    .sort();
}

export async function collect(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
