/**
 * The live lane across processes, through Redis: each run has a Redis Stream (`live:<run id>`,
 * capped and expiring) as a short replay buffer for readers that join or reconnect mid-answer,
 * and a pub/sub channel of the same name that pushes each message to the API processes
 * following the run the moment it is published.
 *
 * Publishing is fire-and-forget through a bounded queue: a slow or unreachable broker costs
 * dropped live messages (counted, and warned about once per outage), never a wait or a failure of
 * the model call. Readers then get the text from the run's durable log.
 */
import { Redis } from 'ioredis';
import type { RedisOptions } from 'ioredis';
import type { LiveLane, LiveLaneHealth, LiveMessage } from './lane.ts';

export interface RedisLaneOptions {
  url: string;
  /** Messages waiting to be published at most; beyond, new ones are dropped. Default 10,000. */
  maxQueue?: number;
  /** Messages kept per run for late readers (approximately); default 5,000. */
  bufferPerRun?: number;
  /** A run's buffer expires this long after its last message; default 10 min. */
  bufferTtlMs?: number;
  /** How long one publish round trip may take before it counts as failed; default 1 s. */
  commandTimeoutMs?: number;
  /** Where warnings about the broker go; default console.warn. */
  warn?: (line: string) => void;
}

const BATCH = 256;
const keyOf = (runId: string) => `live:${runId}`;

interface Followed {
  listeners: Set<(message: LiveMessage) => void>;
  /** Pushed messages held back while the buffer is being replayed, so that order holds. */
  held: LiveMessage[] | undefined;
}

export class RedisLane implements LiveLane {
  readonly kind = 'redis' as const;
  private readonly options: Required<Omit<RedisLaneOptions, 'warn'>> & { warn: (line: string) => void };
  private readonly publisher: Redis;
  private subscriber: Redis | undefined;
  private readonly queue: LiveMessage[] = [];
  private draining = false;
  private readonly followed = new Map<string, Followed>();
  private readonly counts = { published: 0, dropped: 0, failed: 0, received: 0 };
  private degraded = false;
  private closed = false;
  private readonly where: string;

  constructor(options: RedisLaneOptions) {
    this.options = {
      maxQueue: 10_000,
      bufferPerRun: 5000,
      bufferTtlMs: 10 * 60_000,
      commandTimeoutMs: 1000,
      ...options,
      warn: options.warn ?? ((line) => console.warn(line)),
    };
    this.where = redactedUrl(options.url);
    this.publisher = this.connect('publisher', { enableOfflineQueue: false, commandTimeout: this.options.commandTimeoutMs });
  }

  publish(message: LiveMessage): void {
    if (this.closed) return;
    if (this.queue.length >= this.options.maxQueue) {
      this.counts.dropped += 1;
      this.degrade(`its publish queue is full (${this.options.maxQueue} messages)`);
      return;
    }
    this.queue.push(message);
    if (!this.draining) void this.drain();
  }

  follow(runId: string, listener: (message: LiveMessage) => void): () => void {
    let run = this.followed.get(runId);
    if (!run) {
      run = { listeners: new Set(), held: undefined };
      this.followed.set(runId, run);
      const subscriber = (this.subscriber ??= this.startSubscriber());
      if (subscriber.status === 'ready') void this.attach(runId);
    }
    run.listeners.add(listener);
    return () => {
      run.listeners.delete(listener);
      if (run.listeners.size === 0 && this.followed.get(runId) === run) {
        this.followed.delete(runId);
        if (this.subscriber?.status === 'ready') this.subscriber.unsubscribe(keyOf(runId)).catch(() => undefined);
      }
    };
  }

  health(): LiveLaneHealth {
    const connected = this.publisher.status === 'ready' && (!this.subscriber || this.subscriber.status === 'ready');
    return { kind: this.kind, connected, ...this.counts };
  }

  async checkReady(): Promise<string> {
    // Said plainly while (re)connecting; else a PING, which fails within the command timeout when Redis hangs.
    if (this.publisher.status !== 'ready') throw new Error(`Redis is not connected (${this.publisher.status})`);
    if (this.subscriber && this.subscriber.status !== 'ready') throw new Error(`Redis is not connected (subscriber ${this.subscriber.status})`);
    await this.publisher.ping();
    return 'redis';
  }

  async close(): Promise<void> {
    this.closed = true;
    this.queue.length = 0;
    this.followed.clear();
    this.publisher.disconnect();
    this.subscriber?.disconnect();
  }

  private connect(role: string, extra: RedisOptions): Redis {
    const redis = new Redis(this.options.url, {
      // Reconnect for as long as it takes, at most every 2 s; the lane works without it meanwhile.
      retryStrategy: (times) => Math.min(times * 200, 2000),
      maxRetriesPerRequest: 1,
      connectTimeout: 2000,
      autoResubscribe: false,
      ...extra,
    });
    redis.on('error', (err: Error) => this.degrade(`the ${role} connection failed: ${err.message}`));
    redis.on('ready', () => this.recover());
    return redis;
  }

  private startSubscriber(): Redis {
    const subscriber = this.connect('subscriber', {});
    subscriber.on('message', (channel: string, payload: string) => {
      const run = this.followed.get(channel.slice('live:'.length));
      if (!run) return;
      const message = parse(payload);
      if (!message) return;
      if (run.held) run.held.push(message);
      else this.deliver(run, message);
    });
    // After every (re)connect: subscribe again and replay each buffer, to fill what the outage missed.
    subscriber.on('ready', () => {
      for (const runId of this.followed.keys()) void this.attach(runId);
    });
    return subscriber;
  }

  /** Subscribes to a run's channel, then replays its buffer before the pushed messages held meanwhile. */
  private async attach(runId: string): Promise<void> {
    const run = this.followed.get(runId);
    if (!run || !this.subscriber) return;
    run.held ??= [];
    try {
      await this.subscriber.subscribe(keyOf(runId));
      const entries = await this.publisher.xrange(keyOf(runId), '-', '+');
      for (const [, fields] of entries) {
        const message = parse(fields[1] ?? '');
        if (message) this.deliver(run, message);
      }
    } catch (err) {
      this.degrade(`reading the buffer of run ${runId} failed: ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      const held = run.held ?? [];
      run.held = undefined;
      for (const message of held) this.deliver(run, message);
    }
  }

  private deliver(run: Followed, message: LiveMessage): void {
    this.counts.received += 1;
    for (const listener of run.listeners) {
      try {
        listener(message);
      } catch {
        // A reader's failure is its own.
      }
    }
  }

  private async drain(): Promise<void> {
    this.draining = true;
    try {
      while (this.queue.length > 0 && !this.closed) {
        const batch = this.queue.splice(0, BATCH);
        if (this.publisher.status !== 'ready') {
          // Nobody can be told now; live text that arrives late is of no use, so it is not kept.
          this.counts.failed += batch.length;
          this.degrade(`it is not connected (${this.publisher.status})`);
          continue;
        }
        const pipeline = this.publisher.pipeline();
        const runs = new Set<string>();
        for (const message of batch) {
          const key = keyOf(message.runId);
          const payload = JSON.stringify(message);
          pipeline.xadd(key, 'MAXLEN', '~', this.options.bufferPerRun, '*', 'm', payload);
          pipeline.publish(key, payload);
          runs.add(key);
        }
        for (const key of runs) pipeline.pexpire(key, this.options.bufferTtlMs);
        try {
          const results = (await pipeline.exec()) ?? [];
          const failed = results.find(([err]) => err);
          if (failed) throw failed[0];
          this.counts.published += batch.length;
        } catch (err) {
          this.counts.failed += batch.length;
          this.degrade(`publishing failed: ${err instanceof Error ? err.message : String(err)}`);
        }
      }
    } finally {
      this.draining = false;
    }
  }

  private degrade(why: string): void {
    if (this.degraded || this.closed) return;
    this.degraded = true;
    this.options.warn(`live lane: Redis at ${this.where} is unavailable (${why}); tokens reach clients through the run's log until it is back.`);
  }

  private recover(): void {
    if (!this.degraded || this.closed) return;
    if (this.publisher.status !== 'ready' || (this.subscriber && this.subscriber.status !== 'ready')) return;
    this.degraded = false;
    const { dropped, failed } = this.counts;
    this.options.warn(`live lane: Redis at ${this.where} is back (so far ${dropped} live messages dropped, ${failed} failed).`);
  }
}

function parse(payload: string): LiveMessage | undefined {
  try {
    const message = JSON.parse(payload) as LiveMessage;
    return typeof message === 'object' && message !== null && typeof message.runId === 'string' ? message : undefined;
  } catch {
    return undefined;
  }
}

/** The URL without its password, for logs. */
export function redactedUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString().replace(/\/$/, '');
  } catch {
    return 'an unparsable REDIS_URL';
  }
}
