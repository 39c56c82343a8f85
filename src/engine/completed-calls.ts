/**
 * The model and tool calls a failed run completed in the step it failed at, read from its
 * Temporal history, for its retry to reuse (src/contracts/reused-calls.ts, docs/adr/0027).
 *
 * The failed attempt is the run's newest execution and those it continued as new from, back to
 * the one a start or a retry began; that one's input holds the calls an earlier retry reused
 * (they made no activity of their own), so the calls of every attempt add up. Each completed
 * `callModel` and `callTool` whose input has a reuse key counts, in the order the run scheduled
 * them. A key made again (a step held after a failure and run again in place) starts a new line:
 * what was recorded from that key on is dropped, since the answers after it built on the old one.
 */
import { defaultPayloadConverter } from '@temporalio/common';
import type { Payload } from '@temporalio/common';
import type { Client } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';
import type { ModelCallResult, ToolCallResult } from '../contracts/activities.ts';
import type { RunInput } from '../contracts/plan.ts';
import type { ReusedCalls } from '../contracts/reused-calls.ts';
import { blobDriverOf } from '../data-plane/data-converter.ts';
import { resolveClaim } from '../data-plane/payload-view.ts';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

interface CompletedCall {
  kind: keyof ReusedCalls;
  key: string;
  result: ModelCallResult | ToolCallResult;
}

const KINDS: Record<string, keyof ReusedCalls> = { callModel: 'model', callTool: 'tools' };

/** The calls to reuse, or undefined when there are none. */
export async function completedCalls(client: Client, runId: string): Promise<ReusedCalls | undefined> {
  const decode = payloadReader(client);
  // Newest first: the failed execution, then back through those it continued from.
  const chain: HistoryEvent[][] = [];
  let inherited: ReusedCalls | undefined;
  for (let execution: string | undefined = undefined; ; ) {
    const events: HistoryEvent[] = (await client.workflow.getHandle(runId, execution).fetchHistory()).events ?? [];
    chain.unshift(events);
    const started: temporal.api.history.v1.IWorkflowExecutionStartedEventAttributes | null | undefined = events[0]?.workflowExecutionStartedEventAttributes;
    execution = started?.continuedExecutionRunId || undefined;
    if (!execution) {
      const input = started?.input?.payloads?.[0];
      inherited = input ? (await decode<RunInput>(input)).reusedCalls : undefined;
      break;
    }
  }
  const calls: CompletedCall[] = [];
  const add = (call: CompletedCall) => {
    const again = calls.findIndex((known) => known.key === call.key && known.kind === call.kind);
    if (again >= 0) calls.splice(again);
    calls.push(call);
  };
  for (const kind of ['model', 'tools'] as const) for (const [key, result] of Object.entries(inherited?.[kind] ?? {})) add({ kind, key, result });
  for (const events of chain) for (const call of await completedIn(events, decode)) add(call);
  return reusable(calls);
}

/** The keyed calls an execution's history shows completed, in the order they were scheduled. */
async function completedIn(events: HistoryEvent[], decode: PayloadReader): Promise<CompletedCall[]> {
  const scheduled = new Map<string, { kind: keyof ReusedCalls; key: string; order: number }>();
  const completed: (CompletedCall & { order: number })[] = [];
  for (const event of events) {
    const schedule = event.activityTaskScheduledEventAttributes;
    const kind = schedule && KINDS[schedule.activityType?.name ?? ''];
    if (schedule && kind && schedule.input?.payloads?.[0]) {
      const { reuseKey } = await decode<{ reuseKey?: string }>(schedule.input.payloads[0]);
      if (reuseKey !== undefined) scheduled.set(String(event.eventId), { kind, key: reuseKey, order: scheduled.size });
    }
    const done = event.activityTaskCompletedEventAttributes;
    const call = done && scheduled.get(String(done.scheduledEventId));
    if (call && done.result?.payloads?.[0]) completed.push({ ...call, result: await decode(done.result.payloads[0]) });
  }
  return completed.sort((a, b) => a.order - b.order).map(({ order: _order, ...call }) => call);
}

/** Only the last step's calls: the retry starts at the step that failed, the last one that ran. */
function reusable(calls: CompletedCall[]): ReusedCalls | undefined {
  const stepOf = (key: string) => Number(/^step-(\d+)\//.exec(key)?.[1] ?? -1);
  const failedStep = Math.max(-1, ...calls.map((call) => stepOf(call.key)));
  const kept = calls.filter((call) => stepOf(call.key) === failedStep);
  if (kept.length === 0) return undefined;
  const reused: ReusedCalls = { model: {}, tools: {} };
  for (const call of kept) (reused[call.kind] as Record<string, unknown>)[call.key] = call.result;
  return reused;
}

type PayloadReader = <T>(payload: Payload) => Promise<T>;

/** Reads a payload of the run's history as the workflow got it: a claim from the blob store, then JSON. */
function payloadReader(client: Client): PayloadReader {
  const driver = blobDriverOf(client.options.loadedDataConverter);
  return async <T>(payload: Payload) => defaultPayloadConverter.fromPayload<T>(await resolveClaim(payload, driver));
}
