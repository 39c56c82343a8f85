/**
 * One run as an AgentOS client makes it: `POST /workflows/{id}/runs` with `stream` left at its
 * default (true), the answer read as SSE to the run's terminal event. Times are from just before
 * the POST: the first token is the first frame carrying model text (`RunContent` or
 * `TeamRunContent` with content, live or from the log), the end the terminal event.
 */
import { performance } from 'node:perf_hooks';
import { parseSse } from '../src/client/sse-parser.ts';
import { TERMINAL_EVENTS } from '../src/contracts/events.ts';
import type { StreamedEvent } from '../src/contracts/live.ts';
import { form } from '../test/support/http.ts';

export interface StreamedRun {
  runId: string;
  firstTokenMs: number;
  durationMs: number;
  /** The terminal event's `content`. */
  content: string;
}

/** A streamed run of `workflowId` through `base`; fails on an HTTP error, a run that did not complete, a stream that ended early, or `signal`. */
export async function streamedRun(base: string, workflowId: string, message: string, signal: AbortSignal): Promise<StreamedRun> {
  const began = performance.now();
  const { body, headers } = form({ message });
  const response = await fetch(`${base}/workflows/${workflowId}/runs`, { method: 'POST', body, headers, signal });
  if (response.status !== 200) throw new Error(`HTTP ${response.status}: ${(await response.text()).slice(0, 200)}`);
  let firstTokenMs: number | undefined;
  let runId = '';
  for await (const frame of parseSse(response.body!)) {
    const event = JSON.parse(frame.data) as StreamedEvent & { content?: unknown; run_id?: string };
    runId ||= event.run_id ?? '';
    if (firstTokenMs === undefined && (event.event === 'RunContent' || event.event === 'TeamRunContent') && event.content) {
      firstTokenMs = performance.now() - began;
    }
    if (!(TERMINAL_EVENTS as readonly string[]).includes(event.event)) continue;
    const durationMs = performance.now() - began;
    if (event.event !== 'WorkflowCompleted') throw new Error(`the run ended ${event.event}: ${frame.data.slice(0, 200)}`);
    if (firstTokenMs === undefined) throw new Error('the run completed without streaming any text');
    return { runId, firstTokenMs, durationMs, content: String(event.content) };
  }
  throw new Error('the stream ended before the run did');
}
