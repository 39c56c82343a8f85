/**
 * One client's connection to `/workflows/ws`: who it is, the runs it follows, and the frames it
 * gets. Each run followed has a pump that forwards the run's stream (src/live/run-tails.ts, the
 * same one the SSE routes read) from the client's position, so a reconnect gets exactly what the
 * client lacks. Frames are AgentOS's: flat JSON objects, control frames (`connected`, `error`,
 * ...) and the run's events, each the very JSON an SSE frame carries as its data.
 */
import type { WebSocket } from 'ws';
import type { StreamCursor } from '../../live/cursor.ts';
import type { RunTails } from '../../live/run-tails.ts';
import type { StreamFrame } from '../../live/stream-merge.ts';
import type { Caller } from '../http/auth.ts';
import { eventJson, sharedEventBytes } from '../http/event-encoding.ts';

/**
 * How a run's stream is shown: as it is (a workflow's run), or as Agno shows an agent's or team's
 * own run (src/server/runnables/wire-events.ts).
 */
export type StreamView = (frames: AsyncIterable<StreamFrame>) => AsyncIterable<StreamFrame>;

const asItIs: StreamView = (frames) => frames;

/** Runs one connection follows at once, as AgentOS bounds them; a client needing more opens another connection. */
export const MAX_FOLLOWED_RUNS = 32;

/** Messages waiting for their turn on one connection; a client sending faster is cut off. */
const MAX_WAITING_MESSAGES = 64;

/** A client that has answered no ping for this long (and at least three heartbeats) is gone. */
const SILENT_CLIENT_MS = 30_000;

/** Above this many bytes not yet sent, a pump waits for the client to take them: a slow client slows its pumps, not the server's memory. */
const HIGH_WATER_BYTES = 1 << 20;

/**
 * A frame as the client gets it: the event's JSON, and `stream_cursor` when the place to resume
 * from is more than the event's index (live text of a model call the log does not have yet; see
 * src/live/cursor.ts). A client sends the last `stream_cursor` (else `event_index`) it got back
 * as `last_event_index`.
 */
export function frameJson(frame: StreamFrame): string | Uint8Array {
  if (frame.id === String(frame.event.event_index)) return sharedEventBytes(frame.event) ?? eventJson(frame.event);
  const json = eventJson(frame.event);
  return `${json.slice(0, -1)},"stream_cursor":${JSON.stringify(frame.id)}}`;
}

export class WorkflowSocket {
  /** Undefined until the client authenticates (when the server asks for a key). */
  caller: Caller | undefined;
  private readonly raw: WebSocket;
  private readonly tails: RunTails;
  private readonly pumps = new Map<string, AbortController>();
  private readonly heartbeat: NodeJS.Timeout;
  private turn: Promise<void> = Promise.resolve();
  private waiting = 0;
  private lastPong = Date.now();

  constructor(raw: WebSocket, tails: RunTails, caller: Caller | undefined, heartbeatMs: number) {
    this.raw = raw;
    this.tails = tails;
    this.caller = caller;
    // Pings keep proxies from closing a quiet connection, and a client that stopped answering
    // them (gone without closing) is let go, with the tails it held.
    raw.on('pong', () => (this.lastPong = Date.now()));
    this.heartbeat = setInterval(() => {
      if (Date.now() - this.lastPong > Math.max(3 * heartbeatMs, SILENT_CLIENT_MS)) return raw.terminate();
      raw.ping();
    }, heartbeatMs);
  }

  /** Handles messages one at a time, in the order they came, as AgentOS does. */
  enqueue(handle: () => Promise<void>): void {
    if (++this.waiting > MAX_WAITING_MESSAGES) {
      this.raw.close(1008, 'Too many messages waiting.');
      return;
    }
    this.turn = this.turn
      .then(handle)
      .catch((err: unknown) => console.error('unhandled error in a /workflows/ws message', err))
      .finally(() => void (this.waiting -= 1));
  }

  send(frame: Record<string, unknown>): Promise<void> {
    return this.write(JSON.stringify(frame));
  }

  /** AgentOS's error frame. */
  error(error: string, runId?: string): Promise<void> {
    return this.send(runId === undefined ? { event: 'error', error } : { event: 'error', run_id: runId, error });
  }

  /** Whether the connection may follow one more run (a run it follows already counts once). */
  canFollow(runId?: string): boolean {
    return (runId !== undefined && this.pumps.has(runId)) || this.pumps.size < MAX_FOLLOWED_RUNS;
  }

  follows(runId: string): boolean {
    return this.pumps.has(runId);
  }

  /** Forwards the run's stream from `cursor` on; following a run again replaces its pump (no frame twice). */
  follow(runId: string, cursor: StreamCursor, view: StreamView = asItIs): void {
    this.pumps.get(runId)?.abort();
    const stop = new AbortController();
    this.pumps.set(runId, stop);
    void this.pump(runId, cursor, stop, view);
  }

  /** The run's frames from `cursor` to the end of its log as it is now ended (for a replay). */
  async collect(runId: string, cursor: StreamCursor, view: StreamView = asItIs): Promise<(string | Uint8Array)[]> {
    const stop = new AbortController();
    const onClose = () => stop.abort();
    this.raw.once('close', onClose);
    try {
      const frames: (string | Uint8Array)[] = [];
      for await (const frame of view(this.tails.subscribe(runId, cursor, stop.signal))) frames.push(frameJson(frame));
      return frames;
    } finally {
      this.raw.off('close', onClose);
    }
  }

  /** Sends frames one after another, waiting whenever the client lags. */
  async sendAll(frames: readonly (string | Uint8Array)[]): Promise<void> {
    for (const frame of frames) await this.write(frame);
  }

  /** The client has gone: stop every pump (their tails linger a while for reconnects). */
  closed(): void {
    clearInterval(this.heartbeat);
    for (const stop of this.pumps.values()) stop.abort();
    this.pumps.clear();
  }

  private async pump(runId: string, cursor: StreamCursor, stop: AbortController, view: StreamView): Promise<void> {
    try {
      for await (const frame of view(this.tails.subscribe(runId, cursor, stop.signal))) await this.write(frameJson(frame));
    } catch (err) {
      // A pump that dies must not look like a run that ended to a client still connected.
      if (!stop.signal.aborted) await this.error(`stream tail failed: ${String((err as Error)?.message ?? err).slice(0, 200)}`, runId);
    } finally {
      if (this.pumps.get(runId) === stop) this.pumps.delete(runId);
    }
  }

  /** Sends a text frame (given as bytes when they are an event's shared bytes). */
  private write(text: string | Uint8Array): Promise<void> {
    // Closing or closed: `closed()` stops the pumps, and nothing else waits for a reply.
    if (this.raw.readyState !== this.raw.OPEN) return Promise.resolve();
    const flushed = new Promise<void>((resolve) => this.raw.send(text, { binary: false }, () => resolve()));
    return this.raw.bufferedAmount > HIGH_WATER_BYTES ? flushed : Promise.resolve();
  }
}
