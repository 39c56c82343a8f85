/**
 * A client of `/workflows/ws` for tests, on the `ws` package (it can send an Authorization header
 * on the handshake): it keeps every frame it gets, in order, and reads them with deadlines.
 */
import WebSocket from 'ws';
import { waitUntil, withDeadline } from './wait.ts';

export type Frame = Record<string, unknown>;

export class SocketClient {
  /** Every frame received, in order. */
  readonly frames: Frame[] = [];
  /** Frames that came as binary messages: the server sends text only (AgentOS's clients read text). */
  binaryFrames = 0;
  closed = false;
  /** The close code the connection ended with (1001: the server went away). */
  closeCode: number | undefined;
  private readonly socket: WebSocket;
  private read = 0;

  private constructor(socket: WebSocket) {
    this.socket = socket;
    socket.on('message', (data, isBinary) => {
      if (isBinary) this.binaryFrames += 1;
      this.frames.push(JSON.parse(String(data)) as Frame);
    });
    socket.on('close', (code) => {
      this.closed = true;
      this.closeCode = code;
    });
  }

  /** Connects to the API's `/workflows/ws`; rejects with the HTTP status if the handshake is refused. */
  static async open(apiUrl: string, headers: Record<string, string> = {}): Promise<SocketClient> {
    const socket = new WebSocket(`${apiUrl.replace(/^http/, 'ws')}/workflows/ws`, { headers });
    // Listening from the start: the first frame may come in the same packet as the handshake.
    const client = new SocketClient(socket);
    await withDeadline(
      `the WebSocket handshake with ${apiUrl}`,
      new Promise<void>((resolve, reject) => {
        socket.once('open', () => resolve());
        socket.once('unexpected-response', (_request, response) => reject(new Error(`HTTP ${response.statusCode}`)));
        socket.once('error', reject);
      }),
    );
    return client;
  }

  send(message: unknown): void {
    this.socket.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  /** The frames not read yet, up to and including the first that `stop` accepts. */
  async until(what: string, stop: (frame: Frame) => boolean, timeoutMs = 60_000): Promise<Frame[]> {
    const end = await waitUntil(
      `${what} on the WebSocket`,
      () => {
        const index = this.frames.findIndex((frame, i) => i >= this.read && stop(frame));
        return index >= 0 ? index : undefined;
      },
      { timeoutMs, intervalMs: 10 },
    );
    const frames = this.frames.slice(this.read, end + 1);
    this.read = end + 1;
    return frames;
  }

  /** The next `count` frames not read yet. */
  async take(what: string, count: number, timeoutMs = 30_000): Promise<Frame[]> {
    await waitUntil(`${what} on the WebSocket`, () => this.frames.length >= this.read + count, { timeoutMs, intervalMs: 10 });
    this.read += count;
    return this.frames.slice(this.read - count, this.read);
  }

  /** The next frame not read yet. */
  async next(what: string, timeoutMs = 30_000): Promise<Frame> {
    return (await this.take(what, 1, timeoutMs))[0]!;
  }

  /** Sends a message and returns the next frame (the answer, on a connection following no run). */
  async ask(message: unknown, timeoutMs = 30_000): Promise<Frame> {
    this.send(message);
    return this.next(`the answer to ${JSON.stringify(message).slice(0, 200)}`, timeoutMs);
  }

  /** Drops the connection without a closing handshake, as a crash or a lost network would. */
  drop(): void {
    this.socket.terminate();
  }

  close(): void {
    this.socket.close();
  }
}

/** Where a client of these frames stands: the last frame's `stream_cursor`, else its `event_index`. */
export function positionOf(frames: readonly Frame[]): string | number {
  const last = frames.findLast((frame) => frame.stream_cursor !== undefined || typeof frame.event_index === 'number')!;
  return (last.stream_cursor as string | undefined) ?? (last.event_index as number);
}
