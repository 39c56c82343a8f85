/** A run as AG-UI's events over SSE, from where the client stands. */
import type { Context } from 'hono';
import { formatCursor } from '../../live/cursor.ts';
import type { StreamCursor } from '../../live/cursor.ts';
import type { StreamFrame } from '../../live/stream-merge.ts';
import type { AppEnv, ServerDeps } from '../http/context.ts';
import { protocolFrame } from '../http/protocol-frames.ts';
import { sseResponse } from '../http/sse.ts';
import { linkToWebUi } from '../runs/run-answers.ts';
import { AguiMapper } from './agui-events.ts';
import type { AguiRunIds } from './agui-events.ts';

export function aguiStream(c: Context<AppEnv>, deps: ServerDeps, runId: string, ids: AguiRunIds, from: StreamCursor): Response {
  linkToWebUi(c, deps, runId);
  const frames = (signal: AbortSignal) => aguiFrames(deps.tails.subscribe(runId, from, signal), new AguiMapper(ids, formatCursor(from)));
  return sseResponse(c, runId, frames, { heartbeatMs: deps.heartbeatMs, open: deps.metrics.sseClients, shuttingDown: deps.shuttingDown });
}

async function* aguiFrames(frames: AsyncIterable<StreamFrame>, mapper: AguiMapper): AsyncGenerator<StreamFrame> {
  for await (const frame of frames) {
    for (const event of mapper.map(frame)) yield protocolFrame(event.metadata.cursor, event.type, event);
    // A run that waits for a person ends AG-UI's run (an interrupt): its answer starts the next one.
    if (mapper.finished) return;
  }
}
