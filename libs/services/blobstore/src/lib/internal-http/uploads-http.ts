import type { IncomingMessage, ServerResponse } from 'node:http';
import type { BlobUploads } from '@stevedore/blob-port';
import { OFFSET_HEADER, sizeParam } from '@stevedore/blob-http';
import { Digest, DomainError, isDomainError } from '@stevedore/domain';

/**
 * The uploads part of the internal protocol (see protocol.ts): push sessions whose digest comes
 * at the end. Answers false when the path is not an upload's.
 */
export async function handleUploads(
  uploads: BlobUploads,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<boolean> {
  if (url.pathname === '/uploads' && req.method === 'POST') {
    const id = await uploads.start();
    res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ id }));
    return true;
  }
  const match = /^\/uploads\/([^/]+)$/.exec(url.pathname);
  if (!match?.[1]) return false;
  const id = decodeURIComponent(match[1]);
  if (req.method === 'HEAD') {
    res.writeHead(200, { [OFFSET_HEADER]: await uploads.status(id) }).end();
  } else if (req.method === 'PATCH') {
    await appendUpload(uploads, id, req, res, sizeParam(url, 'offset'));
  } else if (req.method === 'PUT') {
    const info = await uploads.commit(id, Digest.parse(url.searchParams.get('digest') ?? ''));
    const body = JSON.stringify({ digest: info.digest.toString(), size: info.size });
    res.writeHead(201, { 'content-type': 'application/json' }).end(body);
  } else if (req.method === 'DELETE') {
    await uploads.abort(id);
    res.writeHead(204).end();
  } else {
    throw DomainError.notFound(`no route ${req.method} ${url.pathname}`);
  }
  return true;
}

async function appendUpload(
  uploads: BlobUploads,
  id: string,
  req: IncomingMessage,
  res: ServerResponse,
  offset: number,
): Promise<void> {
  try {
    const size = await uploads.append(id, offset, req);
    res.writeHead(202, { [OFFSET_HEADER]: size }).end();
  } catch (err) {
    // Where the upload stands, so the caller can tell the client the range it has.
    if (!isDomainError(err) || err.code !== 'CONFLICT') throw err;
    req.resume();
    const body = JSON.stringify(err.toErrorPayload());
    const standing = err.details?.['offset'];
    const headers = typeof standing === 'number' ? { [OFFSET_HEADER]: standing } : {};
    res.writeHead(409, { 'content-type': 'application/json', ...headers }).end(body);
  }
}
