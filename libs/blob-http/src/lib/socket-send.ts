import { Socket, connect } from 'node:net';
import type { Writable } from 'node:stream';
import type { BlobSend } from '@stevedore/blob-port';
import { DomainError } from '@stevedore/domain';
import { asPeerUnavailable } from '@stevedore/internal-http';
import { ResponseHead, dechunk, parseHead } from './response-head';

/** A GET to the blobstore: where, what, and the headers to present (the token among them). */
export interface SocketGet {
  host: string;
  port: number;
  path: string;
  headers: Record<string, string>;
  peer: string;
  /** Turns an answer other than 200/206 into its error. */
  refused: (status: number, body: string) => DomainError;
}

/** Each of the two buffers the body is read into, in turn. */
const BUFFER_BYTES = 1024 * 1024;
/** Longest head, and longest error body, taken from the blobstore. */
const MAX_HEAD_BYTES = 64 * 1024;
const HEADERS_TIMEOUT_MS = 30_000;

/**
 * openSocketSend sends one GET on a connection of its own and resolves, once the answer's head
 * came, with the {@link BlobSend} of its body (any other status rejects with its error). The body is
 * read straight into two buffers used in turn: a buffer is read into again only once the
 * Writable called back for it, and reading pauses until then. undici instead copies every chunk
 * into its parser's memory and hands on a fresh buffer: relaying 540 MB that way cost ~1.1 s of
 * CPU, against ~0.17 s this way. The connection is closed after the answer: this is for large
 * blobs, a pooled connection serves small ones better.
 */
export function openSocketSend(get: SocketGet): Promise<BlobSend> {
  return new Promise((resolve, reject) => new SocketSend(get, resolve, reject).start());
}

class SocketSend {
  private readonly buffers = [Buffer.allocUnsafe(BUFFER_BYTES), Buffer.allocUnsafe(BUFFER_BYTES)];
  private readonly writing = [false, false];
  /** The buffer the next read goes into. */
  private turn = 0;
  private socket?: Socket;
  /** The head as it comes, then the body bytes that came with it (or an error's body). */
  private head = Buffer.alloc(0);
  private answer?: ResponseHead;
  /** Body bytes not yet read from the socket. */
  private remaining = 0;
  private out?: Writable;
  private paused = false;
  private over = false;
  /** The open resolved: a failure now fails the send. */
  private isOpen = false;
  private failure?: Error;
  private finish?: { resolve: () => void; reject: (err: Error) => void };

  constructor(
    private readonly get: SocketGet,
    private readonly opened: (send: BlobSend) => void,
    private readonly refused: (err: Error) => void,
  ) {}

  start(): void {
    const { host, port } = this.get;
    const buffer = () => this.buffers[this.turn] as Buffer;
    const socket = connect({ host, port, onread: { buffer, callback: this.onRead } });
    this.socket = socket;
    socket.setTimeout(HEADERS_TIMEOUT_MS, () => this.fail(this.unavailable('did not answer')));
    socket.on('error', (err) => this.fail(asPeerUnavailable(err, this.get.peer) as Error));
    socket.on('close', this.onClose);
    socket.write(this.request());
  }

  private request(): string {
    const { host, port, path, headers } = this.get;
    const lines = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`);
    return `GET ${path} HTTP/1.1\r\nhost: ${host}:${port}\r\n${lines.join('')}connection: close\r\n\r\n`;
  }

  private get isBlob(): boolean {
    return this.answer?.status === 200 || this.answer?.status === 206;
  }

  /** Node calls it with each read into our buffers; false pauses reading (see openSocketSend). */
  private readonly onRead = (n: number, buffer: Buffer): boolean => {
    const index = buffer === this.buffers[0] ? 0 : 1;
    this.turn = index ^ 1;
    const bytes = buffer.subarray(0, n);
    if (this.out) this.write(bytes, index);
    else this.gather(bytes);
    this.paused = this.out ? this.writing[this.turn] === true : this.isBlob;
    return !this.paused;
  };

  /** gather copies the head (the buffers are read into again), then answers the open. */
  private gather(bytes: Buffer): void {
    this.head = Buffer.concat([this.head, bytes]);
    if (this.answer && this.head.length > this.answer.length + MAX_HEAD_BYTES)
      return this.fail(this.unavailable('answered with an error longer than the limit'));
    if (this.answer) return;
    const answer = parseHead(this.head, MAX_HEAD_BYTES);
    if (answer instanceof Error) return this.fail(answer);
    if (!answer) return;
    this.answer = answer;
    if (!this.isBlob) return; // the error's body comes until the blobstore closes (see onClose)
    if (answer.contentLength === undefined)
      return this.fail(DomainError.internal('the blob store sent a blob without its length'));
    this.head = this.head.subarray(answer.length);
    this.remaining = answer.contentLength - this.head.length;
    if (this.remaining < 0) return this.fail(this.tooLong());
    this.socket?.setTimeout(0);
    this.isOpen = true;
    this.opened((out) => this.send(out));
  }

  private readonly onClose = (): void => {
    const answer = this.answer;
    if (answer && !this.isBlob) {
      const body = this.head.subarray(answer.length);
      const text = (answer.chunked ? dechunk(body) : body).toString('utf8');
      return this.fail(this.get.refused(answer.status, text));
    }
    if (!answer || this.remaining > 0) this.fail(this.unavailable('closed the connection early'));
  };

  private send(out: Writable): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.finish = { resolve, reject };
      this.out = out;
      out.on('close', this.onGone).on('error', this.onGone);
      if (out.destroyed) return this.onGone();
      if (this.head.length > 0) this.write(this.head, -1);
      if (this.remaining === 0) return this.end();
      this.paused = false;
      this.socket?.resume();
    });
  }

  private readonly onGone = () =>
    this.fail(new Error('the receiver closed before the blob was sent'));

  /** Writes a chunk of buffer `index` (-1: a copy), which is busy until the Writable calls back. */
  private write(chunk: Buffer, index: number): void {
    if (index >= 0) {
      if (chunk.length > this.remaining) return this.fail(this.tooLong());
      this.writing[index] = true;
      this.remaining -= chunk.length;
    }
    this.out?.write(chunk, (err) => {
      if (index >= 0) this.writing[index] = false;
      if (err) return this.fail(err);
      if (this.remaining === 0) return this.end();
      if (this.paused && !this.writing[this.turn]) {
        this.paused = false;
        this.socket?.resume();
      }
    });
  }

  /** The send resolves once the Writable called back for every chunk. */
  private end(): void {
    if (this.writing[0] || this.writing[1] || this.over) return;
    this.settle();
    this.finish?.resolve();
  }

  /** Ends the transfer with `err`: the open rejects if it is pending, else the send does. */
  private fail(err: Error): void {
    if (this.over) return;
    this.failure = err;
    this.settle();
    if (!this.isOpen) this.refused(err);
    this.finish?.reject(err);
  }

  private settle(): void {
    this.over = true;
    this.socket?.destroy();
    this.out?.off('close', this.onGone).off('error', this.onGone);
  }

  private unavailable(what: string): Error {
    return new DomainError('UNAVAILABLE', `${this.get.peer} ${what}, retry later`);
  }

  private tooLong(): Error {
    return DomainError.internal(`${this.get.peer} sent more than the blob`);
  }
}
