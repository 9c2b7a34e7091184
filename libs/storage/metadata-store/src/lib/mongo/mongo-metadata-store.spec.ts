import { randomUUID } from 'node:crypto';
import { AddressInfo, Server, Socket, createServer } from 'node:net';
import { createConnection } from 'mongoose';
import { describeMetadataStoreContract } from '@stevedore/testing';
import { MongoMetadataStore } from './mongo-metadata-store';

const url = process.env['MONGODB_URL'];

// No MongoDB server exists on the development machines: without MONGODB_URL the suite is
// reported as skipped (and says why) rather than run against a fake.
if (url) {
  describeMetadataStoreContract('MongoMetadataStore', async () => {
    // A fresh database per test keeps tests independent; it is dropped afterwards.
    const connection = createConnection(url, {
      dbName: `stevedore_test_${randomUUID().slice(0, 8)}`,
      serverSelectionTimeoutMS: 10_000,
    });
    const store = await MongoMetadataStore.fromConnection(connection);
    return {
      store,
      dispose: async () => {
        await store.close();
        await connection.dropDatabase();
        await connection.close();
      },
    };
  });
} else {
  describe.skip('MongoMetadataStore contract (skipped: MONGODB_URL not set)', () => {
    it('runs the MetadataStore contract against MongoDB', () => undefined);
  });
}

describe('MongoMetadataStore.connect without a usable server', () => {
  let server: Server;
  const sockets = new Set<Socket>();
  beforeAll(async () => {
    // Something listens but speaks no MongoDB: every connection is cut at once.
    server = createServer((socket) => {
      sockets.add(socket);
      socket.destroy();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('fails with UNAVAILABLE, and the credentials in the URL stay out of the error', async () => {
    const { port } = server.address() as AddressInfo;
    const error = await MongoMetadataStore.connect(
      `mongodb://stevedore:s3cret-pw@127.0.0.1:${port}/meta`,
      {
        serverSelectionTimeoutMS: 500,
      },
    ).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: 'UNAVAILABLE' });
    expect(
      JSON.stringify({
        message: (error as Error).message,
        details: (error as { details?: unknown }).details,
      }),
    ).not.toMatch(/s3cret/);
  });
});
