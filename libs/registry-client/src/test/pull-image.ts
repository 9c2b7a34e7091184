import { Descriptor, Platform } from '@stevedore/domain';
import { RegistryClient } from '../lib/client';
import { HashingSink } from './sinks';

/** PulledImageSummary is what a complete pull through the client produced. */
export interface PulledImageSummary {
  readonly topDigest: string;
  readonly manifestDigest: string;
  readonly configDigest: string;
  /** Digest of the bytes each layer sink received, in manifest order. */
  readonly layerDigests: string[];
}

async function download(client: RegistryClient, ref: string, desc: Descriptor): Promise<string> {
  const sink = new HashingSink();
  await client.copyBlob(ref, desc, sink);
  return sink.digest();
}

/** pullImage pulls `ref` completely (manifest chain, config, every layer) the way the fetcher will. */
export async function pullImage(
  client: RegistryClient,
  ref: string,
  platform?: Platform,
): Promise<PulledImageSummary> {
  const pulled = await client.pullManifest(ref, platform);
  const { config, layers } = pulled.manifest.manifest;
  const configBytes = await client.readBlob(ref, config);
  JSON.parse(configBytes.toString('utf8'));
  const layerDigests = await Promise.all(layers.map((layer) => download(client, ref, layer)));
  return {
    topDigest: pulled.top.digest.toString(),
    manifestDigest: pulled.manifest.digest.toString(),
    configDigest: config.digest.toString(),
    layerDigests,
  };
}
