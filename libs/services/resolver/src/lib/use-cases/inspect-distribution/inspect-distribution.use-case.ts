import { Injectable } from '@nestjs/common';
import {
  DistributionInspectV1,
  DistributionPlatformV1,
  InspectDistributionV1,
} from '@stevedore/contracts';
import { DomainError, Platform, parseReference } from '@stevedore/domain';
import { RegistryClient, clientForRequest } from '@stevedore/registry-client';

/**
 * InspectDistributionUseCase answers `GET /distribution/{name}/json` as dockerd does: the manifest
 * or index the reference names (mirrors first for Docker Hub, then the registry), its descriptor,
 * and its platforms — an index's entries, or for a single manifest the platform its config names.
 */
@Injectable()
export class InspectDistributionUseCase {
  constructor(private readonly registry: RegistryClient) {}

  async execute(request: InspectDistributionV1): Promise<DistributionInspectV1> {
    const ref = parseReference(request.reference);
    const client = clientForRequest(this.registry, ref.domain, request.registryAuth);
    const top = await client.getManifest(ref).catch((err: unknown) => {
      throw inDockerWords(err);
    });
    const descriptor = { mediaType: top.mediaType, digest: top.digest.toString(), size: top.size };
    if (top.kind === 'index') {
      const platforms = top.index.manifests.flatMap((m) =>
        m.platform ? [jsonPlatform(m.platform)] : [],
      );
      return { descriptor, platforms };
    }
    const config = await client.readBlob(ref, top.manifest.config);
    return { descriptor, platforms: configPlatform(config) };
  }
}

/**
 * inDockerWords words a registry's error as dockerd's distribution router does (distribution's
 * `errcode.Error`: `<code in lower case>: <message>`, e.g. `manifest unknown: manifest unknown`).
 */
function inDockerWords(err: unknown): unknown {
  const registryCode = err instanceof DomainError ? err.details?.['registryCode'] : undefined;
  if (!(err instanceof DomainError) || typeof registryCode !== 'string') return err;
  const words = registryCode.toLowerCase().replace(/_/g, ' ');
  return new DomainError(err.code, `${words}: ${err.message}`, err.details);
}

function jsonPlatform(p: Platform): DistributionPlatformV1 {
  return {
    architecture: p.architecture,
    os: p.os,
    ...(p.osVersion ? { 'os.version': p.osVersion } : {}),
    ...(p.osFeatures?.length ? { 'os.features': [...p.osFeatures] } : {}),
    ...(p.variant ? { variant: p.variant } : {}),
  };
}

/**
 * configPlatform reads the platform fields of a config leniently, as dockerd does: a config that is
 * not JSON, or names neither OS nor architecture, gives no platform rather than an error.
 */
export function configPlatform(bytes: Uint8Array): DistributionPlatformV1[] {
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch {
    return [];
  }
  if (typeof raw !== 'object' || raw === null) return [];
  const o = raw as Record<string, unknown>;
  const text = (key: string) => (typeof o[key] === 'string' ? (o[key] as string) : '');
  const features = Array.isArray(o['os.features'])
    ? o['os.features'].filter((f): f is string => typeof f === 'string')
    : [];
  if (text('os') === '' && text('architecture') === '') return [];
  return [
    jsonPlatform({
      os: text('os'),
      architecture: text('architecture'),
      variant: text('variant'),
      osVersion: text('os.version'),
      osFeatures: features,
    }),
  ];
}
