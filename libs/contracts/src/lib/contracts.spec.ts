import { plainToInstance } from 'class-transformer';
import { ValidationError, validateSync } from 'class-validator';
import { CollectBlobsV1 } from './blobstore';
import { PullImageV1 } from './fetcher';
import { AcquireDownloadV1, ClaimGarbageV1, LeaseContentV1, RecordImageV1 } from './metadata';
import { ImportRootfsV1, SaveArchiveV1 } from './exporter';

const H = 'sha256:e6693c20186f837fc393390135d8a598a96a833917917789d63766cab6c59582';

function errors<T extends object>(cls: new () => T, plain: object): string[] {
  return validateSync(plainToInstance(cls, plain), {
    whitelist: true,
    forbidNonWhitelisted: true,
  }).flatMap(messages);
}

/** messages lists an error's constraint messages and those of its nested properties, at any depth. */
function messages(e: ValidationError): string[] {
  return [...Object.values(e.constraints ?? {}), ...(e.children ?? []).flatMap(messages)];
}

describe('message contracts', () => {
  it('accept a sha256 digest and reject upper-case, short and unknown-algorithm ones', () => {
    expect(errors(CollectBlobsV1, { digests: [H] })).toEqual([]);
    expect(errors(CollectBlobsV1, { digests: [H.toUpperCase()] })).toEqual([
      'each value in digests must be a sha256 or sha512 digest',
    ]);
    expect(errors(CollectBlobsV1, { digests: ['sha256:abc'] })).toHaveLength(1);
    expect(errors(CollectBlobsV1, { digests: [`md5:${'a'.repeat(32)}`] })).toHaveLength(1);
  });

  it('validate every digest of a list', () => {
    expect(errors(CollectBlobsV1, { digests: [H, 'nope'] })).toEqual([
      'each value in digests must be a sha256 or sha512 digest',
    ]);
  });

  it('validate nested descriptors of a record request', () => {
    const manifest = (size: number) => ({
      digest: H,
      mediaType: 'x',
      size: 1,
      platform: { os: 'linux', architecture: 'amd64' },
      config: { mediaType: 'x', digest: H, size: 1 },
      layers: [{ mediaType: 'x', digest: H, size }],
    });
    const bad = { id: H, configJson: '{}', manifest: manifest(-1) };
    expect(errors(RecordImageV1, bad).join()).toMatch(/size must not be less than 0/);
    expect(errors(RecordImageV1, { ...bad, manifest: manifest(1) })).toEqual([]);
  });

  it('validate a pull and a download request', () => {
    expect(
      errors(PullImageV1, { reference: 'busybox', registryAuth: 'x'.repeat(16_385) }).join(),
    ).toMatch(/registryAuth must be shorter than or equal to 16384 characters/);
    expect(errors(PullImageV1, { reference: 'busybox', platform: 'linux/arm64' })).toEqual([]);
    const ask = { digest: H, registry: 'r.test', holder: 'h', limit: 3, ttlMs: 15_000 };
    expect(errors(AcquireDownloadV1, ask)).toEqual([]);
    expect(errors(AcquireDownloadV1, { ...ask, digest: 'sha256:abc', limit: 0 })).toHaveLength(2);
  });

  it('refuse fields a message does not define', () => {
    expect(errors(CollectBlobsV1, { digests: [H], extra: 1 }).join()).toMatch(
      /property extra should not exist/,
    );
  });

  it('require a manifest for an image record and at least one image for an archive', () => {
    expect(errors(RecordImageV1, { id: H, configJson: '{}' }).join()).toMatch(/manifest/);
    expect(errors(SaveArchiveV1, { names: [] }).join()).toMatch(/at least 1/);
  });

  it('require an import source and a list of changes', () => {
    expect(errors(ImportRootfsV1, { fromSrc: '', changes: [] }).join()).toMatch(/fromSrc/);
    expect(errors(ImportRootfsV1, { fromSrc: '-' }).join()).toMatch(/changes must be an array/);
    expect(errors(ImportRootfsV1, { fromSrc: '-', changes: ['ENV A=1'], repo: 'a:1' })).toEqual([]);
  });

  it('bound content leases and garbage claims: a holder, digests and a ttl of 1 s to 10 min', () => {
    expect(errors(LeaseContentV1, { holder: 'pull-1', digests: [H], ttlMs: 30_000 })).toEqual([]);
    expect(errors(LeaseContentV1, { holder: 'pull-1', digests: [H], ttlMs: 10 }).join()).toMatch(
      /ttlMs must not be less than 1000/,
    );
    expect(errors(ClaimGarbageV1, { collector: 'gc', digests: ['x'], ttlMs: 1000 })).toEqual([
      'each value in digests must be a sha256 or sha512 digest',
    ]);
  });
});
