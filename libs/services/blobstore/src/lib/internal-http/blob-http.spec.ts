import { createHash, randomBytes } from 'node:crypto';
import { createServer, Server } from 'node:http';
import { Writable } from 'node:stream';
import { writeBlob } from '@stevedore/blob-port';
import { Digest } from '@stevedore/domain';
import { AddressInfo } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HttpBlobStore } from '@stevedore/blob-http';
import { createBlobHttpHandler } from './blob-http.handler';
import { FsBlobStore } from '@stevedore/blob-fs';
import { requireInternalToken } from '@stevedore/internal-http';
import {
  describeBlobFollowContract,
  describeBlobSendContract,
  describeBlobStoreContract,
} from '@stevedore/testing';

const TOKEN = 'blob-http-spec-token-0123456789abcdef';

// The cluster data plane: the HTTP client against the real handler over a real filesystem store.
const overHttp = async () => {
  const root = await mkdtemp(join(tmpdir(), 'blob-http-'));
  const handler = createBlobHttpHandler(new FsBlobStore(root));
  const server: Server = createServer(requireInternalToken(handler, TOKEN));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const client = new HttpBlobStore(url, TOKEN);
  return {
    store: client,
    dispose: async () => {
      await client.close();
      await new Promise((resolve) => server.close(resolve));
      await rm(root, { recursive: true, force: true });
    },
  };
};
describeBlobStoreContract('HTTP client → blobstore handler → filesystem', overHttp);
describeBlobFollowContract('HTTP client → blobstore handler → filesystem', overHttp);
describeBlobSendContract('HTTP client → blobstore handler → filesystem', overHttp);

describe('HttpBlobStore openSend under a crowd', () => {
  it('sends 40 large blobs opened at once whole (past 32, through the pooled stream)', async () => {
    const { store, dispose } = await overHttp();
    try {
      const bytes = randomBytes(5 * 1024 * 1024);
      const blob = { digest: Digest.fromBytes(bytes), size: bytes.length };
      await writeBlob(store, blob, bytes);
      const sends = await Promise.all(Array.from({ length: 40 }, () => store.openSend(blob)));
      const sent = await Promise.all(
        sends.map(async (send) => {
          const hash = createHash('sha256');
          const out = new Writable({
            write: (chunk: Buffer, _encoding, done) => {
              hash.update(chunk);
              done();
            },
          });
          await send(out);
          return `sha256:${hash.digest('hex')}`;
        }),
      );
      expect(new Set(sent)).toEqual(new Set([`${blob.digest}`]));
    } finally {
      await dispose();
    }
  });
});
