/**
 * `GET /runs/changes`, ours: an SSE stream that says when the run list may have changed (a run
 * started, changed status, was deleted), from the run store's notifications, so that a page
 * following the list (the run console) reads `GET /runs` again only then instead of polling. The
 * frames name no run (a listener may not see every run): `ready` once the stream listens, then
 * `changed`, at most one per `COALESCE_MS` however many runs changed.
 */
import type { StreamFrame } from '../../live/stream-merge.ts';
import type { ServerDeps } from '../http/context.ts';
import { HttpError } from '../http/errors.ts';
import { protocolFrame } from '../http/protocol-frames.ts';
import { defineRoute } from '../http/route.ts';
import { sseResponse } from '../http/sse.ts';
import { answer, error, protocolSse } from '../openapi/parts.ts';
import type { RunStore } from '../../run-store/run-store.ts';

/** A burst of changes (a run's start writes its row a few times) is told once. */
export const COALESCE_MS = 100;

export const runListChanges = defineRoute<ServerDeps>()({
  method: 'get',
  path: '/runs/changes',
  operation: () => ({
    summary: 'When the run list changes, as SSE (follow it, then read GET /runs again)',
    description: 'Frames `ready` (listening: read the list now), then `changed` when a run started, changed status or was deleted. No frame names a run.',
    responses: {
      '200': answer('`ready`, then `changed` frames; heartbeats between', protocolSse),
      '501': error('No run store: nothing tells changes; poll GET /runs'),
    },
  }),
  async handle(c, deps) {
    const store = deps.engine.runStore;
    if (!store) throw new HttpError(501, 'This API has no run store, so nothing tells it of changes: poll GET /runs.');
    return sseResponse(c, 'runs', (signal) => changeFrames(store, signal), { heartbeatMs: deps.heartbeatMs, open: deps.metrics.sseClients, shuttingDown: deps.shuttingDown });
  },
});

async function* changeFrames(store: RunStore, signal: AbortSignal): AsyncGenerator<StreamFrame> {
  let changed = false;
  let wake: (() => void) | undefined;
  const unsubscribe = store.subscribeList(() => {
    changed = true;
    wake?.();
  });
  const onAbort = () => wake?.();
  signal.addEventListener('abort', onAbort, { once: true });
  let sent = 0;
  try {
    yield protocolFrame(String(sent++), 'ready', { type: 'ready' });
    while (!signal.aborted) {
      if (!changed) await new Promise<void>((resolve) => (wake = resolve));
      wake = undefined;
      if (signal.aborted) return;
      await new Promise((resolve) => setTimeout(resolve, COALESCE_MS));
      if (signal.aborted) return;
      changed = false;
      yield protocolFrame(String(sent++), 'changed', { type: 'changed' });
    }
  } finally {
    unsubscribe();
    signal.removeEventListener('abort', onAbort);
  }
}
