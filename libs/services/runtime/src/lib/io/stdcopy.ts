import { Writable } from 'node:stream';

/** Docker's stream ids in a multiplexed (stdcopy) stream. */
export const STDIN = 0;
export const STDOUT = 1;
export const STDERR = 2;

/**
 * muxFrame is one frame of Docker's multiplexed stream: an 8-byte header (stream id, three zero
 * bytes, payload length as uint32 big-endian) and the payload.
 */
export function muxFrame(stream: number, payload: Buffer): Buffer {
  const header = Buffer.alloc(8);
  header[0] = stream;
  header.writeUInt32BE(payload.length, 4);
  return Buffer.concat([header, payload]);
}

/** The bytes a session writes to its client, and whether they still can be. */
export interface ClientOut {
  write(chunk: Buffer): void;
}

/**
 * outputStreams are the stdout and stderr a container's output is written to: raw bytes for a
 * TTY (a terminal has one stream), Docker's frames otherwise. Empty chunks are dropped: a frame
 * of length 0 means nothing to the client. Writes never fail the producer: a gone client is the
 * session's business, not the container's.
 */
export function outputStreams(
  out: ClientOut,
  tty: boolean,
  select: { stdout: boolean; stderr: boolean } = { stdout: true, stderr: true },
): { stdout: Writable; stderr: Writable } {
  const sink = (stream: number, wanted: boolean) =>
    new Writable({
      write(chunk: Buffer, _enc, done) {
        if (wanted && chunk.length > 0) out.write(tty ? chunk : muxFrame(stream, chunk));
        done();
      },
    });
  return { stdout: sink(STDOUT, select.stdout), stderr: sink(STDERR, select.stderr) };
}

/** demux splits a multiplexed stream into its frames (tests and clients), whatever the chunking. */
export function demux(bytes: Buffer): { stream: number; payload: Buffer }[] {
  const frames: { stream: number; payload: Buffer }[] = [];
  let at = 0;
  while (at + 8 <= bytes.length) {
    const len = bytes.readUInt32BE(at + 4);
    if (at + 8 + len > bytes.length) break;
    frames.push({ stream: bytes[at] as number, payload: bytes.subarray(at + 8, at + 8 + len) });
    at += 8 + len;
  }
  return frames;
}
