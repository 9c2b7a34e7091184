import { execFileSync } from 'node:child_process';
import { gzipSync } from 'node:zlib';
import { load, t5Members } from '../../test/archives';
import { MemoryBlobStore } from '@stevedore/testing';
import { T4 } from '../../test/t4-vectors';
import { TarMember, patchHeaderSize, tarOf } from '../../test/tar-helpers';
import type { ReadArchiveOptions } from './read-archive';

/**
 * Every hostile archive below starts with the valid T5 members, so the reader has already staged
 * real blobs when it meets the bad member: rejection must abort those ingests too.
 */
async function expectRejected(
  bytes: Buffer,
  message: RegExp,
  options: ReadArchiveOptions = {},
): Promise<void> {
  const store = new MemoryBlobStore();
  await expect(load(bytes, store, options)).rejects.toMatchObject({
    code: 'INVALID_ARGUMENT',
    message: expect.stringMatching(message),
  });
  expect(store.committed()).toEqual([]);
  expect(store.pending.size).toBe(0);
}

async function t5With(...extra: TarMember[]): Promise<Buffer> {
  return tarOf([...(await t5Members()), ...extra]);
}

describe('readArchive against hostile archives', () => {
  it('refuses a member that climbs out with ../', async () => {
    await expectRejected(
      await t5With({ name: '../x', data: 'owned' }),
      /member \.\.\/x escapes the archive/,
    );
  });

  it('refuses an absolute member path', async () => {
    await expectRejected(
      await t5With({ name: '/etc/x', data: 'owned' }),
      /member \/etc\/x has an absolute path/,
    );
  });

  it('refuses a symlink to / before anything can be written through it', async () => {
    const bytes = await t5With(
      { name: 'evil', type: 'symlink', linkname: '/' },
      { name: 'evil/etc/passwd', data: 'root::0:0::/:/bin/sh' },
    );
    await expectRejected(bytes, /link evil points outside the archive \(\/\)/);
  });

  it('refuses a member written through a symlink, even one that stays inside', async () => {
    const bytes = await t5With(
      { name: 'sub/', type: 'directory' },
      { name: 'evil', type: 'symlink', linkname: 'sub' },
      { name: 'evil/etc/passwd', data: 'x' },
    );
    await expectRejected(bytes, /member evil\/etc\/passwd passes through link evil/);
  });

  it('refuses symlinks and hard links that climb out', async () => {
    await expectRejected(
      await t5With({ name: 'a/up', type: 'symlink', linkname: '../../etc/shadow' }),
      /link a\/up points outside/,
    );
    await expectRejected(
      await t5With({ name: 'hard', type: 'link', linkname: '../etc/shadow' }),
      /link hard points outside/,
    );
  });

  it('refuses a member whose data is longer than its header claims', async () => {
    const honest = await t5With({ name: 'x', data: 'A'.repeat(1500) });
    const headerAt = (await tarOf(await t5Members())).length - 1024; // where x's header starts
    await expectRejected(patchHeaderSize(honest, headerAt, 10), /not a readable tar stream/);
  });

  it('refuses a config blob whose bytes are not its digest', async () => {
    const forged = T4.config.replace('"amd64"', '"arm64"'); // same size, other bytes
    const members = (await t5Members()).map((m) =>
      m.name === `blobs/sha256/${T4.configDigest.slice(7)}` ? { ...m, data: forged } : m,
    );
    await expectRejected(
      await tarOf(members),
      /blobs\/sha256\/4816fc47\S* does not match its digest/,
    );
  });

  it('refuses more members than allowed', async () => {
    await expectRejected(await t5With(), /more than 5 members/, { maxMembers: 5 });
  });

  it('refuses a JSON document over the size limit', async () => {
    await expectRejected(
      await t5With(),
      /index.json is 353 bytes, over the 256-byte limit for JSON documents/,
      { maxJsonBytes: 256 },
    );
  });

  it('refuses truncated and corrupt input', async () => {
    const whole = await t5With();
    await expectRejected(whole.subarray(0, whole.length - 2000), /unexpected EOF/);
    const half = (bytes: Buffer) => bytes.subarray(0, Math.floor(bytes.length / 2));
    await expectRejected(half(gzipSync(whole)), /unexpected EOF/);
    await expectRejected(half(execFileSync('xz', ['-c'], { input: whole })), /unexpected EOF/);
    const gz = gzipSync(whole);
    gz.fill(0x55, 100, 200);
    await expectRejected(gz, /invalid archive: gzip/);
  });

  it('refuses duplicate members, device nodes and link loops', async () => {
    await expectRejected(
      await t5With({ name: 'oci-layout', data: '{}' }),
      /member oci-layout appears twice/,
    );
    await expectRejected(
      await t5With({ name: 'dev/null', type: 'character-device' }),
      /member dev\/null is a character-device/,
    );
    const loop = await tarOf([
      { name: 'a', type: 'symlink', linkname: 'b' },
      { name: 'b', type: 'symlink', linkname: 'a' },
      { name: 'manifest.json', data: JSON.stringify([{ Config: 'a', RepoTags: [], Layers: [] }]) },
    ]);
    await expectRejected(loop, /too many links/);
  });

  it('refuses a blob member cut short while its ingest is still opening, without an escaped error', async () => {
    const whole = await t5With();
    // Cut 300 bytes into the data of the last blob member (the 1024-byte layer).
    const name = Buffer.from(`blobs/sha256/${T4.layerDigest.slice(7)}`);
    let headerAt = whole.indexOf(name);
    while (headerAt % 512 !== 0) headerAt = whole.indexOf(name, headerAt + 1);
    const slowStore = new MemoryBlobStore();
    const ingest = slowStore.ingest.bind(slowStore);
    slowStore.ingest = async (ref) => {
      await new Promise((resolve) => setTimeout(resolve, 100));
      return ingest(ref);
    };
    const escaped: unknown[] = [];
    const onEscape = (error: unknown) => escaped.push(error);
    process.on('uncaughtException', onEscape);
    try {
      await expect(load(whole.subarray(0, headerAt + 512 + 300), slowStore)).rejects.toMatchObject({
        code: 'INVALID_ARGUMENT',
        message: 'invalid archive: unexpected EOF',
      });
    } finally {
      process.off('uncaughtException', onEscape);
    }
    expect(escaped).toEqual([]);
  });
});
