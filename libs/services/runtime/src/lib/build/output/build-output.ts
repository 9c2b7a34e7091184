import { PassThrough } from 'node:stream';

/** ANSI red around stderr bytes, as dockerd's classic builder shows a RUN's stderr. */
const RED = '\u001b[91m';
const RESET = '\u001b[0m';

/**
 * BuildOutput writes Docker's JSON messages of a classic build, one per line, as dockerd 20.10
 * does: the step line and its newline as two messages, RUN output as it comes (stderr in red),
 * aux IDs, and one error message to end a failed build. With `q` the stream messages are held
 * back and only written if the build fails (dockerd's `notVerboseBuffer`); a success says the ID.
 */
export class BuildOutput {
  readonly stream = new PassThrough();
  private readonly held: string[] = [];
  private started = false;
  private readonly firstWrite: Promise<void>;
  private markStarted: () => void = () => undefined;

  constructor(private readonly quiet: boolean) {
    this.firstWrite = new Promise((resolve) => (this.markStarted = resolve));
  }

  /** hasStarted: something was written (errors now go into the stream, not the HTTP status). */
  get hasStarted(): boolean {
    return this.started || this.held.length > 0;
  }

  /** whenStarted resolves once the first message is written. */
  whenStarted(): Promise<void> {
    return this.firstWrite;
  }

  step(index: number, total: number, original: string): void {
    this.text(`Step ${index}/${total} : ${original}`);
    this.text('\n');
  }

  text(text: string): void {
    this.emit(JSON.stringify({ stream: text }));
  }

  private emit(line: string): void {
    if (this.quiet) this.held.push(line);
    else this.write(line);
  }

  stdout(data: Buffer | string): void {
    this.text(data.toString());
  }

  stderr(data: Buffer | string): void {
    this.text(`${RED}${data.toString()}${RESET}`);
  }

  /** status is a progress message (a FROM's pull), as dockerd relays the pull's. */
  status(message: Record<string, unknown>): void {
    this.emit(JSON.stringify(message));
  }

  aux(id: string): void {
    this.emit(JSON.stringify({ aux: { ID: id } }));
  }

  /** done ends a successful build; with `q`, the image ID is all the client sees. */
  done(id: string): void {
    if (this.quiet) this.write(JSON.stringify({ stream: `${id}\n` }));
    this.end();
  }

  /** error ends a failed build: with `q`, what was held back comes first (as dockerd). */
  error(message: string, code?: number): void {
    for (const line of this.held.splice(0)) this.write(line);
    const detail = code === undefined ? { message } : { code, message };
    this.write(JSON.stringify({ errorDetail: detail, error: message }));
  }

  end(): void {
    this.stream.end();
  }

  private write(line: string): void {
    this.stream.write(`${line}\r\n`);
    if (!this.started) {
      this.started = true;
      this.markStarted();
    }
  }
}
