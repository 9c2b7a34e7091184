import { createServer, Server } from 'node:http';
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
