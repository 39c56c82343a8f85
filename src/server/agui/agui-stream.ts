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
import { applyStatePatch, initialRunState, statePatch } from './agui-state.ts';
import type { AguiRunState } from './agui-state.ts';

export function aguiStream(c: Context<AppEnv>, deps: ServerDeps, runId: string, ids: AguiRunIds, from: StreamCursor): Response {
  linkToWebUi(c, deps, runId);
  const frames = (signal: AbortSignal) => aguiFrames(deps, runId, ids, from, signal);
  return sseResponse(c, runId, frames, { heartbeatMs: deps.heartbeatMs, open: deps.metrics.sseClients, shuttingDown: deps.shuttingDown });
}

async function* aguiFrames(deps: ServerDeps, runId: string, ids: AguiRunIds, from: StreamCursor, signal: AbortSignal): AsyncGenerator<StreamFrame> {
  const mapper = new AguiMapper(ids, formatCursor(from), await stateAt(deps, runId, from.after));
  for await (const frame of deps.tails.subscribe(runId, from, signal)) {
    for (const event of mapper.map(frame)) yield protocolFrame(event.metadata.cursor, event.type, event);
    // A run that waits for a person ends AG-UI's run (an interrupt): its answer starts the next one.
    if (mapper.finished) return;
  }
}

/** The run's state after the event at index `after`: the log up to it, folded (none: the start). */
async function stateAt(deps: ServerDeps, runId: string, after: number): Promise<AguiRunState> {
  let state = initialRunState(runId);
  if (after < 0) return state;
  for await (const page of deps.engine.readEventLog(runId, { mode: 'snapshot' })) {
    for (const event of page) {
      if (event.event_index > after) return state;
      state = applyStatePatch(state, statePatch(event));
    }
  }
  return state;
}
