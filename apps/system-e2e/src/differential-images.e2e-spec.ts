import { Fixtures, RegistryHandle, pushFixtures, startRegistry } from '@stevedore/testing';
import { killAllApps } from './support/app-process';
import { Pair, onBoth, startPair } from './support/differential';
import { sameApi, sameCli } from './support/differential-compare';
import { dockerdAvailable } from './support/dockerd';
import { SIZES, TRANSIENT } from './support/documented-differences';
import { skipNote } from './support/skip-note';

// Issue 13, "Docker as the oracle": the same docker CLI commands and Engine API calls, at API 1.41,
// against dockerd 20.10 and Stevedore, each with an empty store and the same testbed registry.
// Exit codes, output, status codes, error messages and JSON key sets must agree; what must differ
// is scrubbed, and what differs on purpose is in support/documented-differences.ts.
let registry: RegistryHandle;
let fixtures: Fixtures;
let pair: Pair;

beforeAll(async () => {
  registry = await startRegistry();
  fixtures = await pushFixtures(registry);
  // dockerd takes 127.0.0.0/8 registries as insecure by itself; Stevedore is told.
  pair = await startPair({ daemonConfig: { 'insecure-registries': [registry.host] } });
}, 180_000);

afterAll(async () => {
  await pair?.stop();
  await killAllApps();
  await registry?.stop();
});

const repo = (ref: string) => ref.replace(/:[^:/]+$/, '');

(dockerdAvailable() ? describe : describe.skip)(
  `image endpoints, dockerd 20.10 vs Stevedore${skipNote(dockerdAvailable(), 'dockerd 20.10 (docker.io) not installed')}`,
  () => {
    describe('pull', () => {
      it('by tag', async () => {
        await sameCli(pair, ['pull', fixtures.multiLayer.reference], [TRANSIENT], true);
        await sameCli(pair, ['pull', '-q', fixtures.busybox.reference]);
      });

      it('by digest', async () => {
        const ref = `${repo(fixtures.manifestList.reference)}@${fixtures.manifestList.manifestDigest}`;
        await sameCli(pair, ['pull', ref], [TRANSIENT], true);
      });

      it('a missing tag and a missing repository', async () => {
        await sameCli(pair, ['pull', `${repo(fixtures.busybox.reference)}:no-such-tag`]);
        await sameCli(pair, ['pull', `${registry.host}/no/such-repo:1`]);
      });

      it('through the API, a missing tag', async () => {
        const image = encodeURIComponent(repo(fixtures.busybox.reference));
        const [oracle, stevedore] = await onBoth(pair, (side) =>
          side.api('POST', `/images/create?fromImage=${image}&tag=nope`),
        );
        expect(stevedore.status).toBe(oracle.status);
        expect(JSON.parse(stevedore.text)).toEqual(JSON.parse(oracle.text));
      });
    });

    describe('GET /images/json', () => {
      it.each([
        [''],
        ['?all=1'],
        ['?digests=1'],
        ['?filters={"dangling":["true"]}'],
        ['?filters={"dangling":["false"]}'],
        ['?filters={"reference":["*/test/*"]}'],
        ['?filters={"label":["nothing=here"]}'],
      ])('lists %s alike', async (query) => {
        await sameApi(pair, 'images/json', 'GET', `/images/json${encodeURI(query)}`);
      });

      it('before and since name images', async () => {
        const ref = encodeURIComponent(fixtures.busybox.reference);
        await sameApi(pair, 'images/json', 'GET', `/images/json?filters={"before":["${ref}"]}`);
        await sameApi(pair, 'images/json', 'GET', `/images/json?filters={"since":["${ref}"]}`);
        await sameApi(pair, 'images/json', 'GET', '/images/json?filters={"before":["nope:1"]}');
      });

      it('refuses an unknown filter and a bad dangling value', async () => {
        await sameApi(pair, 'images/json', 'GET', '/images/json?filters={"color":["red"]}');
        await sameApi(pair, 'images/json', 'GET', '/images/json?filters={"dangling":["maybe"]}');
        // dockerd 20.10 answers filters that are not JSON with 500 and Go's parser error; Stevedore
        // with 400 (the client's fault), as later dockerd.
        const [oracle, stevedore] = await onBoth(pair, (side) =>
          side.api('GET', '/images/json?filters=notjson'),
        );
        expect([oracle.status, stevedore.status]).toEqual([500, 400]);
      });

      it('docker images prints the same table', async () => {
        const format = '{{.Repository}} {{.Tag}} {{.ID}} {{.Digest}}';
        await sameCli(pair, ['images', '--digests', '--format', format], [], true);
        // Images created at the same second come in any order from dockerd.
        await sameCli(pair, ['images', '-q', '--filter', 'reference=*/test/*'], [], true);
      });
    });

    describe('inspect and history', () => {
      it('inspects an image, and fails alike on a missing one', async () => {
        const ref = encodeURIComponent(fixtures.multiLayer.reference);
        await sameApi(pair, 'images/inspect', 'GET', `/images/${ref}/json`);
        await sameApi(pair, 'images/inspect', 'GET', '/images/no/such:image/json');
        await sameCli(pair, [
          'image',
          'inspect',
          '--format',
          '{{json .RootFS}}',
          fixtures.busybox.reference,
        ]);
        await sameCli(pair, ['image', 'inspect', 'no/such:image']);
      });

      it('shows the history', async () => {
        const ref = encodeURIComponent(fixtures.multiLayer.reference);
        await sameApi(pair, 'images/history', 'GET', `/images/${ref}/history`);
        await sameApi(pair, 'images/history', 'GET', '/images/no/such:image/history');
        const format = '{{.ID}} {{.CreatedBy}} {{.Size}} {{.Comment}}';
        await sameCli(
          pair,
          ['history', '--no-trunc', '--format', format, fixtures.multiLayer.reference],
          [SIZES],
        );
      });
    });

    describe('tag and rmi', () => {
      it('tags, and refuses bad tags and missing sources', async () => {
        await sameCli(pair, ['tag', fixtures.busybox.reference, 'diff/busybox:one']);
        await sameCli(pair, ['tag', fixtures.busybox.reference, 'diff/busybox:two']);
        await sameCli(pair, ['tag', fixtures.busybox.reference, 'Diff/UPPER:1']);
        await sameCli(pair, ['tag', 'no/such:image', 'diff/x:1']);
        await sameApi(pair, 'images/tag', 'POST', '/images/no/such:image/tag?repo=diff/x&tag=1');
        const [oracle, stevedore] = await onBoth(pair, (side) =>
          side.api('POST', '/images/diff/busybox:one/tag?repo=diff/y&tag=a%20b'),
        );
        // dockerd 20.10 answers a bad tag with 500, a bug later dockerd fixed (400, as Stevedore).
        expect([oracle.status, stevedore.status]).toEqual([500, 400]);
        expect(JSON.parse(stevedore.text)).toEqual(JSON.parse(oracle.text));
      });

      it('refuses to delete an image of several tags by ID without force', async () => {
        await sameCli(pair, ['rmi', fixtures.busybox.configDigest ?? '']);
        await sameApi(pair, 'images/delete', 'DELETE', `/images/${fixtures.busybox.configDigest}`);
      });

      it('untags, deletes, and fails on a missing image', async () => {
        await sameCli(pair, ['rmi', 'diff/busybox:one']);
        await sameCli(pair, ['rmi', 'no/such:image']);
        await sameCli(pair, ['rmi', 'diff/busybox:two', fixtures.busybox.reference]);
        await sameApi(pair, 'images/delete', 'DELETE', '/images/no/such:image');
      });
    });

    describe('image prune', () => {
      it('prunes dangling images, with and without filters, and everything unused with -a', async () => {
        await sameCli(pair, ['image', 'prune', '-f'], [SIZES]);
        await sameCli(pair, ['image', 'prune', '-f', '--filter', 'label=nothing'], [SIZES]);
        await sameApi(pair, 'images/prune', 'POST', '/images/prune?filters={"color":["red"]}');
        await sameApi(pair, 'images/prune', 'POST', '/images/prune?filters={"until":["1h"]}');
        await sameCli(pair, ['image', 'prune', '-a', '-f', '--filter', 'until=1h'], [SIZES], true);
        await sameCli(pair, ['image', 'prune', '-a', '-f'], [SIZES], true);
        await sameCli(pair, ['images', '-q']);
      });
    });
  },
);
