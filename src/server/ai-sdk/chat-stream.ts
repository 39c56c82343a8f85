/** A run as the AI SDK's UI message stream: its whole message from the start, over SSE. */
import type { Context } from 'hono';
import type { StreamFrame } from '../../live/stream-merge.ts';
import type { AppEnv, ServerDeps } from '../http/context.ts';
import { protocolFrame } from '../http/protocol-frames.ts';
import { sseResponse } from '../http/sse.ts';
import { linkToWebUi } from '../runs/run-answers.ts';
import { UiMessageMapper } from './ui-message-chunks.ts';

/** The header the AI SDK's transport expects on a UI message stream. */
export const UI_MESSAGE_STREAM_HEADERS = { 'x-vercel-ai-ui-message-stream': 'v1' } as const;

/**
 * Always from the run's first event: `useChat` takes a resumed stream as a replay of the whole
 * message (its `DefaultChatTransport` resets the message at the replay's `start`), so a page
 * reloaded mid-run shows the answer once, whole, then follows it live.
 */
export function chatStream(c: Context<AppEnv>, deps: ServerDeps, runId: string): Response {
  linkToWebUi(c, deps, runId);
  for (const [name, value] of Object.entries(UI_MESSAGE_STREAM_HEADERS)) c.header(name, value);
  const frames = (signal: AbortSignal) => uiMessageFrames(deps.tails.subscribe(runId, { after: -1, calls: [] }, signal));
  return sseResponse(c, runId, frames, { heartbeatMs: deps.heartbeatMs, open: deps.metrics.sseClients, shuttingDown: deps.shuttingDown });
}

async function* uiMessageFrames(frames: AsyncIterable<StreamFrame>): AsyncGenerator<StreamFrame> {
  const mapper = new UiMessageMapper();
  for await (const frame of frames) {
    for (const chunk of mapper.map(frame.event)) yield protocolFrame(frame.id, chunk.type, chunk);
    if (mapper.finished) return;
  }
}
