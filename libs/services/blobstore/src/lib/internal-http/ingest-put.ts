import type { IncomingMessage, ServerResponse } from 'node:http';
import type { BlobStore, Ingest } from '@stevedore/blob-port';
import { OFFSET_HEADER, sizeParam } from '@stevedore/blob-http';
import type { Digest } from '@stevedore/domain';

/**
 * handleIngestPut appends a request body to an ingest and commits it. The body must start at
 * the ingest's current offset (409 + the real offset otherwise). A body that reaches the size
 * commits (201); one that ends short, or is cut because the sender died, keeps the bytes
 * received (202), so the next PUT resumes after them.
 */
export async function handleIngestPut(
  store: BlobStore,
  req: IncomingMessage,
  res: ServerResponse,
  digest: Digest,
  url: URL,
) {
  const size = sizeParam(url);
  const offset = sizeParam(url, 'offset');
  const ingest = await store.ingest({ digest, size });
  if (ingest.offset !== offset) {
    await ingest.close();
    req.resume();
    res.writeHead(409, { [OFFSET_HEADER]: ingest.offset, 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        code: 'CONFLICT',
        message: `ingest of ${digest} stands at ${ingest.offset}, not ${offset}`,
      }),
    );
    return;
  }
  if (!(await appendBody(req, ingest))) return;
  if (ingest.offset < size) {
    // A body that stops short is a partial upload: keep it for the next PUT.
    await ingest.close();
    res.writeHead(202, { [OFFSET_HEADER]: ingest.offset }).end();
    return;
  }
  const info = await ingest.commit();
  res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify(info));
}

/** Streams the body into the ingest; false when the sender went away (bytes kept). */
async function appendBody(req: IncomingMessage, ingest: Ingest): Promise<boolean> {
  try {
    for await (const chunk of req) await ingest.write(chunk as Buffer);
  } catch (err) {
    if (req.destroyed || isAborted(err)) {
      await ingest.close();
      return false;
    }
    throw err; // a write error (e.g. too many bytes) has already discarded the ingest
  }
  if (!req.complete) {
    await ingest.close();
    return false;
  }
  return true;
}

function isAborted(err: unknown): boolean {
  const code = (err as { code?: string } | null)?.code;
  return (
    code === 'ECONNRESET' ||
    code === 'ERR_STREAM_PREMATURE_CLOSE' ||
    (err as Error | null)?.message === 'aborted'
  );
}
