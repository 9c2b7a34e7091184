import type { Reference } from '@stevedore/domain';
import type { JsonMessage } from '../engine-types';
import { progressBar } from './progress-bar';
import type { PullEvent } from '../../use-cases/pull-image/pull-image.use-case';

type BlobEvent = Extract<PullEvent, { type: 'blob' }>;

/** shortLayerId is the 12-hex id Docker keys a layer's progress rows by (the blob digest, truncated). */
export function shortLayerId(digest: string): string {
  return digest.slice(digest.indexOf(':') + 1).slice(0, 12);
}

const ROW_STATUS: Readonly<Record<Exclude<BlobEvent['state'], 'downloading'>, string>> = {
  queued: 'Pulling fs layer',
  exists: 'Already exists',
  verifying: 'Verifying Checksum',
  done: 'Download complete',
};

/**
 * PullProgress renders a pull's events as Docker's pull stream for one requested reference:
 * `<tag>: Pulling from <repo>`, per-layer rows keyed by the short layer id (always with a
 * `progressDetail`, so a terminal updates them in place), `Pull complete` for every downloaded
 * layer, then `Digest:` and `Status:` naming the reference in familiar form.
 */
export class PullProgress {
  private readonly downloaded = new Set<string>();
  private layers: string[] = [];
  private topDigest = '';

  /** Set `statusLine` false when several pulls share one stream (`docker pull -a`) and the caller ends it. */
  constructor(
    readonly target: Reference,
    private readonly statusLine = true,
  ) {}

  /** changed tells whether the pull stored anything new (set once its image is recorded). */
  changed = false;

  /** begun tells whether the stream's `<tag>: Pulling from <repo>` line was rendered. */
  begun = false;

  /** header is `<tag>: Pulling from <path>` (the repository's path on its registry, as dockerd says), the line every pull of one reference starts with. */
  header(): JsonMessage {
    this.begun = true;
    // dockerd keys a tag pull by the tag, a digest pull by the whole reference as the user wrote it.
    const id = this.target.digest ? this.target.familiar() : this.target.manifestReference;
    return { status: `Pulling from ${this.target.path}`, id };
  }

  /** render returns the stream messages for one event, in the order to send them. */
  render(event: PullEvent): JsonMessage[] {
    switch (event.type) {
      case 'resolved':
        this.layers = event.manifest.layers.map((layer) => layer.digest);
        this.topDigest = event.digest;
        return [this.header()];
      case 'blob':
        return [this.blobRow(event)];
      case 'image':
        this.changed = event.changed;
        return [
          ...this.completions(),
          { status: `Digest: ${this.topDigest}` },
          ...(this.statusLine
            ? [{ status: pullStatus(this.target.normalized().familiar(), event.changed) }]
            : []),
        ];
    }
  }

  private blobRow(event: BlobEvent): JsonMessage {
    const id = shortLayerId(event.digest);
    if (event.state === 'downloading') {
      return {
        status: 'Downloading',
        progressDetail: { current: event.current, total: event.total },
        progress: progressBar(event.current, event.total),
        id,
      };
    }
    if (event.state === 'done') this.downloaded.add(event.digest);
    return { status: ROW_STATUS[event.state], progressDetail: {}, id };
  }

  private completions(): JsonMessage[] {
    const done = [...new Set(this.layers)].filter((digest) => this.downloaded.has(digest));
    return done.map((digest) => ({
      status: 'Pull complete',
      progressDetail: {},
      id: shortLayerId(digest),
    }));
  }
}

/** pullStatus is the stream's last line, naming what was pulled as Docker prints it (`busybox:latest`, `busybox` for -a). */
export function pullStatus(name: string, changed: boolean): string {
  return changed
    ? `Status: Downloaded newer image for ${name}`
    : `Status: Image is up to date for ${name}`;
}
