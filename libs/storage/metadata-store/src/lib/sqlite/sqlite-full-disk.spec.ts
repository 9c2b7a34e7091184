import BetterSqlite3 from 'better-sqlite3';
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testImage } from '@stevedore/testing';
import { SqliteMetadataStore } from './sqlite-metadata-store';

const AS_ROOT = process.getuid?.() === 0;
const TAG = 'docker.io/library/app:1';

/** A real full disk: the database on a 2 MiB tmpfs, filled up (mounting needs root). */
(AS_ROOT ? describe : describe.skip)(
  `SqliteMetadataStore on a full disk (a 2 MiB tmpfs${AS_ROOT ? '' : '; skipped: needs root to mount tmpfs'})`,
  () => {
    let mount: string;
    beforeEach(async () => {
      mount = await mkdtemp(join(tmpdir(), 'metadata-full-'));
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=2m', 'tmpfs', mount]);
    });
    afterEach(async () => {
      execFileSync('umount', ['-l', mount]); // lazily: a failed test may leave the database open
      await rm(mount, { recursive: true, force: true });
    });

    it('a write that does not fit fails with NO_SPACE and changes nothing; the same handle writes once there is room', async () => {
      const path = join(mount, 'metadata.db');
      const store = SqliteMetadataStore.open(path);
      const first = testImage({ seed: 'first' });
      await store.putImage(first, { tag: TAG });
      const filler = join(mount, 'filler');
      await writeFile(filler, Buffer.alloc(2 * 1024 * 1024)).catch(() => undefined);
      // Large enough that it needs new pages: the tag moves to it in the same transaction.
      const second = testImage({ seed: 'second', labels: { big: 'x'.repeat(300_000) } });
      await expect(store.putImage(second, { tag: TAG })).rejects.toMatchObject({
        code: 'NO_SPACE',
        message: 'no space left on device',
      });
      expect((await store.listImages()).map((i) => i.id)).toEqual([first.id]);
      expect((await store.findImageByTag(TAG))?.id).toBe(first.id);

      await rm(filler);
      await store.putImage(second, { tag: TAG });
      expect((await store.findImageByTag(TAG))?.id).toBe(second.id);
      await store.close();
      const db = new BetterSqlite3(path, { readonly: true });
      try {
        expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      } finally {
        db.close();
      }
    });
  },
);
