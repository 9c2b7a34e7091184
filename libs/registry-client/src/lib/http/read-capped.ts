import { DomainError } from '@stevedore/domain';

/**
 * readCapped reads a whole (small) response body into memory, failing with INVALID_ARGUMENT
 * `<what> too large` as soon as it exceeds `maxBytes` — so a hostile or broken server cannot make
 * us buffer an unbounded document. The stream is destroyed when the cap is hit.
 */
export async function readCapped(
  body: AsyncIterable<Uint8Array> & { destroy?(): void },
  maxBytes: number,
  what: string,
): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of body) {
    total += chunk.byteLength;
    if (total > maxBytes) {
      body.destroy?.();
      throw DomainError.invalidArgument(`${what} too large: more than ${maxBytes} bytes`, {
        maxBytes,
      });
    }
    chunks.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
  }
  return Buffer.concat(chunks, total);
}

/** readErrorText reads at most `maxBytes` of an error body as text and discards the rest. */
export async function readErrorText(
  body: AsyncIterable<Uint8Array> & { destroy?(): void },
  maxBytes = 64 * 1024,
): Promise<string> {
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    for await (const chunk of body) {
      chunks.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
      total += chunk.byteLength;
      if (total >= maxBytes) {
        body.destroy?.();
        break;
      }
    }
  } catch {
    // An error body that breaks off still says enough with what arrived.
  }
  return Buffer.concat(chunks).subarray(0, maxBytes).toString('utf8');
}
