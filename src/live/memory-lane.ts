/**
 * The live lane inside one process (`npm start`, tests, `workflow.arunStream` next to its
 * worker): messages go straight to the process's followers, with a short buffer per run for
 * followers that join mid-answer.
 */
import type { LiveLane, LiveLaneHealth, LiveMessage } from './lane.ts';

export interface MemoryLaneOptions {
  /** Messages kept per run for followers that join late; default 5,000. */
  bufferPerRun?: number;
  /** A run's buffer is dropped this long after its last message; default 10 min. */
  bufferTtlMs?: number;
}

interface RunChannel {
  buffer: LiveMessage[];
  listeners: Set<(message: LiveMessage) => void>;
  lastWrite: number;
}

export class MemoryLane implements LiveLane {
  readonly kind = 'memory' as const;
  private readonly runs = new Map<string, RunChannel>();
  private readonly bufferPerRun: number;
  private readonly bufferTtlMs: number;
  private readonly sweeper: NodeJS.Timeout;
  private readonly counts = { published: 0, received: 0 };

  constructor(options: MemoryLaneOptions = {}) {
    this.bufferPerRun = options.bufferPerRun ?? 5000;
    this.bufferTtlMs = options.bufferTtlMs ?? 10 * 60_000;
    this.sweeper = setInterval(() => this.sweep(), Math.min(60_000, this.bufferTtlMs)).unref();
  }

  publish(message: LiveMessage): void {
    this.counts.published += 1;
    const channel = this.channel(message.runId);
    // A call that has returned is in the run's log soon: late followers need none of its deltas.
    if (message.kind === 'ended') channel.buffer = channel.buffer.filter((kept) => kept.callId !== message.callId);
    else channel.buffer.push(message);
    if (channel.buffer.length > this.bufferPerRun) channel.buffer.splice(0, channel.buffer.length - this.bufferPerRun);
    channel.lastWrite = Date.now();
    for (const listener of channel.listeners) {
      this.counts.received += 1;
      // A follower's failure is its own: the publishing model call must not see it.
      try {
        listener(message);
      } catch {
        // ignored: see above
      }
    }
  }

  follow(runId: string, listener: (message: LiveMessage) => void): () => void {
    const channel = this.channel(runId);
    for (const message of channel.buffer) listener(message);
    channel.listeners.add(listener);
    return () => {
      channel.listeners.delete(listener);
    };
  }

  health(): LiveLaneHealth {
    return { kind: this.kind, connected: true, published: this.counts.published, dropped: 0, failed: 0, received: this.counts.received };
  }

  async checkReady(): Promise<string> {
    return 'in-process';
  }

  async close(): Promise<void> {
    clearInterval(this.sweeper);
    this.runs.clear();
  }

  private channel(runId: string): RunChannel {
    let channel = this.runs.get(runId);
    if (!channel) {
      channel = { buffer: [], listeners: new Set(), lastWrite: Date.now() };
      this.runs.set(runId, channel);
    }
    return channel;
  }

  private sweep(): void {
    const cutoff = Date.now() - this.bufferTtlMs;
    for (const [runId, channel] of this.runs) {
      if (channel.listeners.size === 0 && channel.lastWrite < cutoff) this.runs.delete(runId);
    }
  }
}
