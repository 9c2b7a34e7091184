import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import type { Digest } from '@stevedore/domain';
import { RateLimitSignals, UPSTREAM_CONCURRENCY } from '@stevedore/registry-client';
import { pause, whileWanted } from '../abortable';
import { DownloadGate, DownloadPermit, backoffMs } from './download-gate';

/** The longest single sleep on a back-off before looking again (a later 429 may extend it). */
const BACKOFF_STEP_MS = 5_000;

/**
 * LocalDownloadGate is the {@link DownloadGate} of a process that runs every fetcher there is
 * (the embedded topology): the same rules as across replicas, kept in memory, so a download costs
 * no message at all. Nothing survives the process, and nothing needs to: its downloads die with it.
 */
@Injectable()
export class LocalDownloadGate implements DownloadGate, OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(LocalDownloadGate.name);
  /** Downloads in flight by digest, each settled when its permit is released. */
  private readonly downloading = new Map<string, Promise<void>>();
  private readonly slots = new Map<string, Slots>();
  /** When each registry's back-off ends (epoch ms). */
  private readonly backoffUntil = new Map<string, number>();
  private unsubscribe: (() => void) | undefined;

  constructor(
    private readonly signals: RateLimitSignals,
    @Inject(UPSTREAM_CONCURRENCY) private readonly limit: number,
  ) {}

  onModuleInit(): void {
    this.unsubscribe = this.signals.subscribe((signal) => {
      this.logger.warn({
        msg: 'registry asked to slow down; pausing its downloads',
        registry: signal.host,
        retryAfterMs: signal.retryAfterMs,
      });
      const until = Date.now() + backoffMs(signal.retryAfterMs);
      this.backoffUntil.set(signal.host, Math.max(until, this.backoffUntil.get(signal.host) ?? 0));
    });
  }

  onModuleDestroy(): void {
    this.unsubscribe?.();
  }

  async enter(digest: Digest, registry: string, signal?: AbortSignal): Promise<DownloadPermit> {
    const releaseBlob = await this.lockBlob(digest.toString(), signal);
    try {
      await this.waitOutBackoff(registry, signal);
      const releaseSlot = await this.slotsOf(registry).take(signal);
      return {
        release: async () => {
          releaseSlot();
          releaseBlob();
        },
      };
    } catch (err) {
      releaseBlob();
      throw err;
    }
  }

  private async lockBlob(digest: string, signal?: AbortSignal): Promise<() => void> {
    for (let held = this.downloading.get(digest); held; held = this.downloading.get(digest))
      await whileWanted(held, signal);
    signal?.throwIfAborted();
    let settle = (): void => undefined;
    this.downloading.set(digest, new Promise<void>((resolve) => (settle = resolve)));
    return () => {
      this.downloading.delete(digest);
      settle();
    };
  }

  private async waitOutBackoff(registry: string, signal?: AbortSignal): Promise<void> {
    for (
      let wait = (this.backoffUntil.get(registry) ?? 0) - Date.now();
      wait > 0;
      wait = (this.backoffUntil.get(registry) ?? 0) - Date.now()
    )
      await pause(Math.min(wait, BACKOFF_STEP_MS), signal);
  }

  private slotsOf(registry: string): Slots {
    let slots = this.slots.get(registry);
    if (!slots) this.slots.set(registry, (slots = new Slots(this.limit)));
    return slots;
  }
}

/** Slots is a counting semaphore: at most `limit` holders, the others wait their turn in order. */
class Slots {
  private free: number;
  private readonly waiting: (() => void)[] = [];

  constructor(limit: number) {
    this.free = limit;
  }

  async take(signal?: AbortSignal): Promise<() => void> {
    signal?.throwIfAborted();
    if (this.free > 0) this.free -= 1;
    else await this.turn(signal);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      if (next) next();
      else this.free += 1;
    };
  }

  /** turn waits to be handed a slot; a waiter whose signal aborts leaves the line. */
  private turn(signal?: AbortSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const leave = () => {
        const at = this.waiting.indexOf(handed);
        if (at >= 0) this.waiting.splice(at, 1);
        reject(signal?.reason);
      };
      const handed = () => {
        signal?.removeEventListener('abort', leave);
        resolve();
      };
      this.waiting.push(handed);
      signal?.addEventListener('abort', leave, { once: true });
    });
  }
}
