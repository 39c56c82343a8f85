/**
 * Sends a model call's token deltas to its workflow in batches.
 *
 * Each signal becomes a few history events, so deltas are batched: one signal per interval
 * (200 ms at first, for a live feel). A long answer would still cost many signals, so the
 * interval grows by the base every `signalsPerStep` signals, which bounds the history of one call.
 * Batches carry their character offset in this attempt's content: the workflow's event log drops
 * whatever it already has, so a re-sent batch or a retried attempt adds no text twice.
 */
import type { ContentDeltaBatch } from '../contracts/events.ts';

export interface DeltaPublisherOptions {
  callId: string;
  attempt: number;
  send(batch: ContentDeltaBatch): Promise<void>;
  /** Called after each batch is sent; the model activity heartbeats here. */
  onSent?(): void;
  intervalMs?: number;
  signalsPerStep?: number;
}

export class DeltaPublisher {
  private readonly options: Required<Omit<DeltaPublisherOptions, 'onSent'>> & Pick<DeltaPublisherOptions, 'onSent'>;
  private pending = '';
  private sentLength = 0;
  private signals = 0;
  private timer: NodeJS.Timeout | undefined;
  private chain: Promise<void> = Promise.resolve();
  /** Failures are not fatal: the workflow fills any gap from the call's final content. */
  failures = 0;

  constructor(options: DeltaPublisherOptions) {
    this.options = { ...options, intervalMs: options.intervalMs ?? 200, signalsPerStep: options.signalsPerStep ?? 10 };
  }

  push(text: string): void {
    if (!text) return;
    this.pending += text;
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, this.currentInterval());
  }

  private currentInterval(): number {
    return this.options.intervalMs * (1 + Math.floor(this.signals / this.options.signalsPerStep));
  }

  /** Sends what is pending; resolves once every batch so far has been sent (in order). */
  flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (this.pending) {
      const batch: ContentDeltaBatch = {
        callId: this.options.callId,
        attempt: this.options.attempt,
        offset: this.sentLength,
        text: this.pending,
      };
      this.sentLength += this.pending.length;
      this.pending = '';
      this.signals += 1;
      this.chain = this.chain.then(async () => {
        try {
          await this.options.send(batch);
          this.options.onSent?.();
        } catch {
          this.failures += 1;
        }
      });
    }
    return this.chain;
  }

  /** Stops the timer without sending (the call failed or was cancelled). */
  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
