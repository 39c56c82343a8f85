/**
 * A run's stream as the AI SDK's UI message stream (`useChat`, `readUIMessageStream`): one
 * assistant message per run, whose id is the run id.
 *
 * - the run's start is the message's `start`; its top-level steps are the message's steps
 *   (`start-step` / `finish-step`);
 * - model text (log or live) is a text part per model call attempt, its reasoning a reasoning part;
 *   a part ends when its agent or team goes on to anything else (a tool call, the end of its
 *   model request or run), or when the step ends;
 * - tool calls are dynamic tool parts: input when the call starts, output (or error) when it ends;
 * - the run's status is one `data-run` part, updated in place (same id) as the run starts, waits
 *   for a person, goes on and ends;
 * - the end: `finish` (with `error` first for a failed run, `abort` for a cancelled one).
 *
 * Live text that the log does not keep (a retried model call) must leave the message: the AI SDK
 * can only drop a whole step (`reset-step`), so the step is dropped and its other parts sent
 * again, from what this mapper sent of it.
 *
 * Pure: one mapper per client stream, fed the stream's events in order.
 */
import type { ContentDiscardedEvent, LiveContentEvent, StreamedEvent } from '../../contracts/live.ts';
import type { RunEvent } from '../../contracts/events.ts';

/** The chunks of the AI SDK's UI message stream this mapping sends (names and fields are the AI SDK's). */
export type UiMessageChunk =
  | { type: 'start'; messageId: string }
  | { type: 'start-step' }
  | { type: 'finish-step' }
  | { type: 'reset-step' }
  | { type: 'text-start' | 'text-end' | 'reasoning-start' | 'reasoning-end'; id: string }
  | { type: 'text-delta' | 'reasoning-delta'; id: string; delta: string }
  | { type: 'tool-input-available'; toolCallId: string; toolName: string; input: unknown; dynamic: true }
  | { type: 'tool-output-available'; toolCallId: string; output: unknown; dynamic: true }
  | { type: 'tool-output-error'; toolCallId: string; errorText: string; dynamic: true }
  | { type: 'data-run'; id: string; data: RunStatusData }
  | { type: 'error'; errorText: string }
  | { type: 'abort'; reason: string }
  | { type: 'finish'; finishReason: 'stop' | 'error' | 'interrupted' };

/** What the `data-run` part says of the run. */
export interface RunStatusData {
  run_id: string;
  status: 'RUNNING' | 'PAUSED' | 'COMPLETED' | 'ERROR' | 'CANCELLED';
  /** The newest event of the run's log the message reflects. */
  event_index?: number;
  step_name?: string;
  /** While the run waits for a person: what it asks (Agno's step requirements). */
  step_requirements?: unknown[];
  /** While an agent's run waits for a person at its tools: the calls it waits on (Agno's requirements). */
  requirements?: unknown[];
  error?: string;
}

/** An open text or reasoning part: whose it is (the agent's or team's run), and which call attempt. */
interface OpenPart {
  id: string;
  kind: 'text' | 'reasoning';
  owner: string;
  call: string;
}

type Content = LiveContentEvent | (RunEvent & { event: 'RunContent' | 'TeamRunContent' });
type Discard = ContentDiscardedEvent;

const isContent = (event: StreamedEvent): event is Content => event.event === 'RunContent' || event.event === 'TeamRunContent';
const isDiscard = (event: StreamedEvent): event is Discard => event.event === 'RunContentDiscarded' || event.event === 'TeamRunContentDiscarded';

export class UiMessageMapper {
  private started = false;
  private ended = false;
  /** The top-level step open as an AI SDK step, by step id. */
  private openStep: string | undefined;
  /** Chunks sent since the open step started: sent again when one of its calls' text is dropped. */
  private stepChunks: UiMessageChunk[] = [];
  private readonly open = new Map<string, OpenPart>();
  /** Parts opened so far per call attempt: a part reopened after a step boundary gets a new id. */
  private readonly opened = new Map<string, number>();
  /** The call attempt of each text and reasoning part, by part id. */
  private readonly partCalls = new Map<string, string>();

  /** Whether the message has ended (`finish` sent): nothing follows. */
  get finished(): boolean {
    return this.ended;
  }

  /** The chunks one event of the run's stream becomes. */
  map(event: StreamedEvent): UiMessageChunk[] {
    if (this.ended) return [];
    const out: UiMessageChunk[] = [];
    const send = (...chunks: UiMessageChunk[]) => {
      out.push(...chunks);
      if (this.openStep !== undefined) this.stepChunks.push(...chunks);
    };
    if (isContent(event)) {
      this.content(event, send);
      return out;
    }
    if (isDiscard(event)) return this.discard(callKey(event));
    const logged = event as RunEvent;
    // Anything else an agent or team does after its text ends that text.
    this.closeParts((part) => part.owner === logged.run_id, send);
    switch (logged.event) {
      case 'WorkflowStarted':
        if (!this.started) {
          this.started = true;
          out.push({ type: 'start', messageId: logged.run_id });
        }
        out.push(this.status(logged, 'RUNNING'));
        break;
      case 'StepStarted':
        if (this.openStep === undefined) {
          this.openStep = logged.step_id;
          this.stepChunks = [];
          out.push({ type: 'start-step' });
        }
        break;
      case 'StepCompleted':
      case 'StepError':
        if (this.openStep === logged.step_id) out.push(...this.finishStep());
        break;
      case 'ToolCallStarted':
      case 'TeamToolCallStarted':
        send({ type: 'tool-input-available', toolCallId: logged.tool.tool_call_id, toolName: logged.tool.tool_name, input: logged.tool.tool_args, dynamic: true });
        break;
      case 'ToolCallCompleted':
      case 'TeamToolCallCompleted': {
        const { tool } = logged;
        if (tool.tool_call_error) send({ type: 'tool-output-error', toolCallId: tool.tool_call_id, errorText: tool.result ?? logged.content, dynamic: true });
        else send({ type: 'tool-output-available', toolCallId: tool.tool_call_id, output: tool.result ?? logged.content, dynamic: true });
        break;
      }
      case 'WorkflowPaused':
        send(this.status(logged, 'PAUSED', logged.pause_kind === 'step' ? { step_requirements: logged.step_requirements } : { error: logged.error }));
        break;
      case 'RunPaused':
      case 'TeamRunPaused':
        // An agent's or team's own run waits at its (members') tools (answered through its AgentOS /continue).
        if (logged.parent_run_id === undefined) send(this.status(logged, 'PAUSED', { requirements: logged.requirements }));
        break;
      case 'StepContinued':
      case 'RunContinued':
      case 'TeamRunContinued':
        send(this.status(logged, 'RUNNING'));
        break;
      case 'WorkflowCompleted':
        out.push(...this.end(logged, [this.status(logged, 'COMPLETED'), { type: 'finish', finishReason: 'stop' }]));
        break;
      case 'WorkflowError':
        out.push(...this.end(logged, [this.status(logged, 'ERROR', { error: logged.error }), { type: 'error', errorText: logged.error }, { type: 'finish', finishReason: 'error' }]));
        break;
      case 'WorkflowCancelled':
        out.push(...this.end(logged, [this.status(logged, 'CANCELLED'), { type: 'abort', reason: logged.reason }, { type: 'finish', finishReason: 'interrupted' }]));
        break;
      default:
        break;
    }
    return out;
  }

  private content(event: Content, send: (...chunks: UiMessageChunk[]) => void): void {
    const call = callKey(event);
    const reasoning = 'reasoning_content' in event ? event.reasoning_content : undefined;
    if (reasoning) send(...this.delta('reasoning', call, event.run_id, reasoning));
    if (event.content) send(...this.delta('text', call, event.run_id, event.content));
  }

  private delta(kind: OpenPart['kind'], call: string, owner: string, delta: string): UiMessageChunk[] {
    const key = `${kind}:${call}`;
    const chunks: UiMessageChunk[] = [];
    let part = this.open.get(key);
    if (!part) {
      const count = (this.opened.get(key) ?? 0) + 1;
      this.opened.set(key, count);
      part = { id: count === 1 ? key : `${key}#${count}`, kind, owner, call };
      this.open.set(key, part);
      this.partCalls.set(part.id, call);
      chunks.push({ type: kind === 'text' ? 'text-start' : 'reasoning-start', id: part.id });
    }
    chunks.push({ type: kind === 'text' ? 'text-delta' : 'reasoning-delta', id: part.id, delta });
    return chunks;
  }

  /** The client drops a call attempt's text: the step goes, and comes back without that text. */
  private discard(call: string): UiMessageChunk[] {
    for (const [key, part] of this.open) if (part.call === call) this.open.delete(key);
    const dropped = (chunk: UiMessageChunk) => 'id' in chunk && this.partCalls.get(chunk.id) === call;
    if (this.openStep === undefined || !this.stepChunks.some(dropped)) return [];
    this.stepChunks = this.stepChunks.filter((chunk) => !dropped(chunk));
    return [{ type: 'reset-step' }, ...this.stepChunks];
  }

  private closeParts(which: (part: OpenPart) => boolean, send: (...chunks: UiMessageChunk[]) => void): void {
    for (const [key, part] of this.open) {
      if (!which(part)) continue;
      this.open.delete(key);
      send({ type: part.kind === 'text' ? 'text-end' : 'reasoning-end', id: part.id });
    }
  }

  private finishStep(): UiMessageChunk[] {
    const out: UiMessageChunk[] = [];
    this.closeParts(() => true, (...chunks) => out.push(...chunks));
    this.openStep = undefined;
    this.stepChunks = [];
    out.push({ type: 'finish-step' });
    return out;
  }

  private end(event: RunEvent, chunks: UiMessageChunk[]): UiMessageChunk[] {
    const out: UiMessageChunk[] = this.openStep !== undefined ? this.finishStep() : [];
    this.closeParts(() => true, (...closing) => out.push(...closing));
    if (!this.started) out.unshift({ type: 'start', messageId: event.run_id });
    this.started = true;
    this.ended = true;
    return [...out, ...chunks];
  }

  private status(event: RunEvent, status: RunStatusData['status'], more: Partial<RunStatusData> = {}): Extract<UiMessageChunk, { type: 'data-run' }> {
    const runId = 'workflow_run_id' in event ? event.workflow_run_id : event.run_id;
    const step = 'step_name' in event && typeof event.step_name === 'string' ? { step_name: event.step_name } : {};
    return { type: 'data-run', id: runId, data: { run_id: runId, status, event_index: event.event_index, ...step, ...more } };
  }
}

/** A model call attempt's key: its text and reasoning parts are named after it. */
function callKey(event: Content | Discard): string {
  if (event.model_call_id === undefined) return event.run_id;
  return `${event.model_call_id}.${event.model_call_attempt ?? 1}`;
}
