import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { lastByte } from '@stevedore/blob-port';
import type { BlobStore, BlobUploads } from '@stevedore/blob-port';
import { OFFSET_HEADER, bodyOf, parseRange, sizeParam, statusOf } from '@stevedore/blob-http';
import { Digest, DomainError } from '@stevedore/domain';
import { handleIngestPut } from './ingest-put';
import { handleUploads } from './uploads-http';

type Handler = (
  req: IncomingMessage,
  res: ServerResponse,
  digest: Digest,
  url: URL,
) => Promise<void>;

/**
 * createBlobHttpHandler serves a BlobStore over the internal protocol (see protocol.ts).
 * It streams both ways and never buffers a blob.
 */
export function createBlobHttpHandler(
  store: BlobStore,
  uploads?: BlobUploads,
): (req: IncomingMessage, res: ServerResponse) => void {
  const routes: Record<string, Handler> = {
    'HEAD /blobs': async (_req, res, digest) => headBlob(store, res, digest),
    'GET /blobs': async (req, res, digest, url) =>
      url.searchParams.has('follow')
        ? followBlob(store, res, digest, url)
        : getBlob(store, req, res, digest),
    'PUT /blobs': async (req, res, digest, url) => handleIngestPut(store, req, res, digest, url),
    'DELETE /blobs': async (_req, res, digest) =>
      json(res, 200, { deleted: await store.delete(digest) }),
    'HEAD /ingests': async (_req, res, digest, url) => headIngest(store, res, digest, url),
    'GET /ingests': async (_req, res, digest, url) => replayIngest(store, res, digest, url),
    'DELETE /ingests': async (_req, res, digest, url) => deleteIngest(store, res, digest, url),
  };
  return (req, res) => {
    const url = new URL(req.url ?? '/', 'http://blobstore');
    const served = uploads ? handleUploads(uploads, req, res, url) : Promise.resolve(false);
    const handled = served.then(async (done) => {
      if (!done) await dispatch(store, routes, req, res, url);
    });
    void handled.catch((err: unknown) => {
      if (res.headersSent) return void res.destroy(); // mid-stream: cutting is the only signal left
      res.writeHead(statusOf(err), { 'content-type': 'application/json' }).end(bodyOf(err));
    });
  };
}

async function dispatch(
  store: BlobStore,
  routes: Record<string, Handler>,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
) {
  if (req.method === 'GET' && url.pathname === '/usage') return json(res, 200, await store.usage());
  if (req.method === 'GET' && url.pathname === '/blobs') return listBlobs(store, res);
  const match = /^\/(blobs|ingests)\/([^/]+)$/.exec(url.pathname);
  const handler = match && routes[`${req.method} /${match[1]}`];
  if (!match?.[2] || !handler) throw DomainError.notFound(`no route ${req.method} ${url.pathname}`);
  await handler(req, res, Digest.parse(decodeURIComponent(match[2])), url);
}

async function headBlob(store: BlobStore, res: ServerResponse, digest: Digest) {
  const info = await store.stat(digest);
  if (!info) throw DomainError.notFound(`blob ${digest} not found`);
  res.writeHead(200, { 'content-length': info.size }).end();
}

async function getBlob(
  store: BlobStore,
  req: IncomingMessage,
  res: ServerResponse,
  digest: Digest,
) {
  const info = await store.stat(digest);
  if (!info) throw DomainError.notFound(`blob ${digest} not found`);
  const range = parseRange(req.headers.range);
  // Opened before the headers: a blob collected since the stat is a 404, not a cut body.
  const send = store.openSend ? await store.openSend(info, range) : undefined;
  const stream = send ? undefined : await store.read(digest, range);
  if (range) {
    const end = lastByte(info.size, range);
    res.writeHead(206, {
      'content-length': end - range.start + 1,
      'content-range': `bytes ${range.start}-${end}/${info.size}`,
    });
  } else {
    res.writeHead(200, { 'content-length': info.size, 'content-type': 'application/octet-stream' });
  }
  if (stream) return pipeline(stream, res);
  await send?.(res);
  res.end();
}

// A blob still being ingested (from `offset` on, for a range), streamed as it is written. Its
// length is known (the descriptor's size): an ingest that fails mid-way is a body cut short,
// which every reader notices.
async function followBlob(store: BlobStore, res: ServerResponse, digest: Digest, url: URL) {
  if (!store.follow) throw DomainError.unsupported('this store cannot follow ingests');
  const size = sizeParam(url);
  const offset = url.searchParams.has('offset') ? sizeParam(url, 'offset') : 0;
  const stream = await store.follow({ digest, size }, { offset });
  res.writeHead(200, {
    'content-length': size - offset,
    'content-type': 'application/octet-stream',
  });
  // Headers now, not with the first byte: a follower starting past what the ingest holds may wait
  // for its first byte longer than the client waits for headers.
  res.flushHeaders();
  await pipeline(stream, res);
}

// Where a (possibly interrupted) ingest stands: opening it re-hashes the kept bytes, and
// closing it keeps them for the PUT that follows.
async function headIngest(store: BlobStore, res: ServerResponse, digest: Digest, url: URL) {
  const ingest = await store.ingest({ digest, size: sizeParam(url) });
  const offset = ingest.offset;
  await ingest.close();
  res.writeHead(200, { [OFFSET_HEADER]: offset }).end();
}

// The bytes an interrupted ingest kept, so another writer can re-hash them and resume after them.
// The ingest is closed before the response ends (chunked, no length), so the writer's next PUT
// never finds it still open.
async function replayIngest(store: BlobStore, res: ServerResponse, digest: Digest, url: URL) {
  const ingest = await store.ingest({ digest, size: sizeParam(url) });
  try {
    if (!ingest.replay) throw DomainError.unsupported('this store cannot replay ingests');
    res.writeHead(200, { 'content-type': 'application/octet-stream' });
    await pipeline(Readable.from(ingest.replay()), res, { end: false });
  } finally {
    await ingest.close();
  }
  res.end();
}

async function deleteIngest(store: BlobStore, res: ServerResponse, digest: Digest, url: URL) {
  const ingest = await store.ingest({ digest, size: sizeParam(url) });
  await ingest.abort();
  res.writeHead(204).end();
}

async function listBlobs(store: BlobStore, res: ServerResponse) {
  res.writeHead(200, { 'content-type': 'application/x-ndjson' });
  for await (const info of store.list()) res.write(`${JSON.stringify(info)}\n`);
  res.end();
}

function json(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}
