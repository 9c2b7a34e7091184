import { createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** One line of a native pull's NDJSON stream. */
export interface PullLine {
  event: 'resolved' | 'blob' | 'image' | 'error';
  digest?: string;
  state?: string;
  current?: number;
  total?: number;
  image?: {
    id: string;
    repoTags: string[];
    repoDigests: string[];
    architecture: string;
    variant?: string;
  };
  code?: string;
  message?: string;
}

/** pull runs `POST /api/v1/pulls` and returns every line of its progress stream. */
export async function pull(
  base: string,
  reference: string,
  platform?: string,
): Promise<PullLine[]> {
  const res = await fetch(`${base}/api/v1/pulls`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ reference, ...(platform ? { platform } : {}) }),
  });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`pull answered ${res.status}: ${text}`);
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as PullLine);
}

/** download saves `GET path` to `file`, streaming. */
export async function download(base: string, path: string, file: string): Promise<number> {
  const res = await fetch(`${base}${path}`);
  if (res.status !== 200 || !res.body)
    throw new Error(`${path} answered ${res.status}: ${await res.text()}`);
  await pipeline(
    Readable.fromWeb(res.body as import('node:stream/web').ReadableStream),
    createWriteStream(file),
  );
  return res.status;
}
