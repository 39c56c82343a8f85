/**
 * A run's stream as AG-UI's events (`@ag-ui/client`'s `HttpAgent`, CopilotKit), for one request:
 * RUN_STARTED first with the run's state (STATE_SNAPSHOT, see agui-state.ts), then steps
 * (STEP_STARTED / STEP_FINISHED, each with a STATE_DELTA), model text as assistant messages (one
 * per model call attempt: TEXT_MESSAGE_START / CONTENT / END), the model's reasoning before it as a
 * reasoning message of that attempt (REASONING_START, REASONING_MESSAGE_START / CONTENT / END,
 * REASONING_END), tool calls (TOOL_CALL_START / ARGS / END, TOOL_CALL_RESULT), and last
 * RUN_FINISHED (success, cancelled, or an interrupt while the run waits for a person) or RUN_ERROR.
 *
 * A request may take the run up from a cursor (a reconnect): every event carries, in
 * `metadata.cursor`, where to take it up after that event. A message the client has begun is begun
 * again under its id (the client adds to the message it has), and only steps and messages this
 * request began are ended by it, as AG-UI's client checks.
 *
 * Pure: one mapper per request, fed the stream's frames in order.
 */
import type { RunEvent } from '../../contracts/events.ts';
import type { StreamedEvent } from '../../contracts/live.ts';
import { statePatch } from './agui-state.ts';
import type { AguiRunState } from './agui-state.ts';

/** An AG-UI event before its cursor is stamped on. */
type Unstamped = { type: string; [field: string]: unknown };
export type AguiEvent = Unstamped & { metadata: { cursor: string } };

/** What the request is about: AG-UI's thread and run ids (ours is the run behind them). */
export interface AguiRunIds {
  threadId: string;
  runId: string;
}

/** An interrupt's id names our run and the paused step, so that an answer finds both. */
export const interruptId = (runId: string, stepId: string) => `${runId}/${stepId}`;

type Content = StreamedEvent & { event: 'RunContent' | 'TeamRunContent'; content: string; reasoning_content?: string; run_id: string; model_call_id?: string; model_call_attempt?: number };

/** An open message: whose it is (the agent's or team's run), and whether it is text or reasoning. */
interface OpenMessage {
  owner: string;
  kind: 'text' | 'reasoning';
}
const isContent = (event: StreamedEvent): event is Content => event.event === 'RunContent' || event.event === 'TeamRunContent';

export class AguiMapper {
  private readonly ids: AguiRunIds;
  private cursor: string;
  private begun = false;
  private ended = false;
  /** Steps this request began, by step id: their names end them. */
  private readonly steps = new Map<string, string>();
  /** Messages open in this request, by message id. */
  private readonly open = new Map<string, OpenMessage>();
  /** The run's state where the request takes it up, sent first. */
  private readonly snapshot: AguiRunState;

  /** `from`: the cursor the request takes the run up at; `snapshot`: the run's state there. */
  constructor(ids: AguiRunIds, from: string, snapshot: AguiRunState) {
    this.ids = ids;
    this.cursor = from;
    this.snapshot = snapshot;
  }

  get finished(): boolean {
    return this.ended;
  }

  /** The events a frame of the run's stream becomes; `id` is the frame's cursor. */
  map(frame: { id: string; event: StreamedEvent }): AguiEvent[] {
    if (this.ended) return [];
    const out: Unstamped[] = [];
    if (!this.begun) {
      this.begun = true;
      out.push({ type: 'RUN_STARTED', threadId: this.ids.threadId, runId: this.ids.runId });
      out.push({ type: 'STATE_SNAPSHOT', snapshot: this.snapshot });
    }
    const { event } = frame;
    if (isContent(event)) {
      const messageId = `${this.ids.runId}:${event.model_call_id === undefined ? event.run_id : `${event.model_call_id}.${event.model_call_attempt ?? 1}`}`;
      const reasoningId = `${messageId}:reasoning`;
      if (event.reasoning_content) {
        if (!this.open.has(reasoningId)) {
          this.open.set(reasoningId, { owner: event.run_id, kind: 'reasoning' });
          out.push({ type: 'REASONING_START', messageId: reasoningId }, { type: 'REASONING_MESSAGE_START', messageId: reasoningId, role: 'reasoning' });
        }
        out.push({ type: 'REASONING_MESSAGE_CONTENT', messageId: reasoningId, delta: event.reasoning_content });
      }
      if (event.content) {
        // The answer's text ends the attempt's reasoning.
        out.push(...this.endMessages((_, id) => id === reasoningId));
        if (!this.open.has(messageId)) {
          this.open.set(messageId, { owner: event.run_id, kind: 'text' });
          out.push({ type: 'TEXT_MESSAGE_START', messageId, role: 'assistant' });
        }
        out.push({ type: 'TEXT_MESSAGE_CONTENT', messageId, delta: event.content });
      }
    } else if (event.event === 'RunContentDiscarded' || event.event === 'TeamRunContentDiscarded') {
      // AG-UI cannot take text back: the client is told which message's text the log does not keep.
      const messageId = `${this.ids.runId}:${event.model_call_id}.${event.model_call_attempt}`;
      out.push(...this.endMessages((_, id) => id === messageId || id === `${messageId}:reasoning`));
      out.push({ type: 'CUSTOM', name: 'TextDiscarded', value: { messageId, length: event.discarded_length } });
    } else {
      out.push(...this.logged(event as RunEvent));
    }
    return this.stamp(out, frame.id);
  }

  private logged(event: RunEvent): Unstamped[] {
    const out = this.endMessages(({ owner }) => owner === event.run_id);
    const patch = statePatch(event);
    // Before the events below: RUN_FINISHED must be the request's last.
    if (patch.length) out.push({ type: 'STATE_DELTA', delta: patch });
    switch (event.event) {
      case 'StepStarted':
        this.steps.set(event.step_id, event.step_name);
        out.push({ type: 'STEP_STARTED', stepName: event.step_name });
        break;
      case 'StepCompleted':
      case 'StepError': {
        // A step's end ends its messages, whoever wrote them.
        out.push(...this.endMessages(() => true));
        const name = this.steps.get(event.step_id);
        if (name !== undefined) {
          this.steps.delete(event.step_id);
          out.push({ type: 'STEP_FINISHED', stepName: name });
        }
        break;
      }
      case 'ToolCallStarted':
      case 'TeamToolCallStarted': {
        const toolCallId = event.tool.tool_call_id;
        out.push({ type: 'TOOL_CALL_START', toolCallId, toolCallName: event.tool.tool_name });
        out.push({ type: 'TOOL_CALL_ARGS', toolCallId, delta: JSON.stringify(event.tool.tool_args) });
        out.push({ type: 'TOOL_CALL_END', toolCallId });
        break;
      }
      case 'ToolCallCompleted':
      case 'TeamToolCallCompleted':
        out.push({ type: 'TOOL_CALL_RESULT', messageId: `${this.ids.runId}:result:${event.tool.tool_call_id}`, toolCallId: event.tool.tool_call_id, content: event.tool.result ?? event.content, role: 'tool' });
        break;
      case 'WorkflowPaused':
        if (event.pause_kind === 'step') {
          const interrupts = event.step_requirements.map((requirement) => ({
            id: interruptId(event.run_id, requirement.step_id),
            reason: requirement.requires_user_input ? 'input_required' : 'confirmation_required',
            ...(requirement.confirmation_message ?? requirement.user_input_message ? { message: requirement.confirmation_message ?? requirement.user_input_message } : {}),
            ...(requirement.user_input_schema ? { responseSchema: requirement.user_input_schema } : {}),
            ...(requirement.timeout_at ? { expiresAt: requirement.timeout_at } : {}),
          }));
          out.push(...this.end({ type: 'RUN_FINISHED', ...this.ids, outcome: { type: 'interrupt', interrupts } }));
        }
        break;
      case 'RunPaused':
      case 'TeamRunPaused':
        // An agent's or team's own run waits for a person at its (members') tools: an interrupt per call (`<run id>/<tool call id>`).
        if (event.parent_run_id === undefined) {
          const interrupts = event.requirements.map(({ tool_execution: tool }) => ({
            id: interruptId(event.workflow_run_id, tool.tool_call_id),
            reason: tool.requires_user_input ? 'input_required' : tool.external_execution_required ? 'result_required' : 'confirmation_required',
            message: event.content,
            toolCallId: tool.tool_call_id,
          }));
          out.push(...this.end({ type: 'RUN_FINISHED', ...this.ids, outcome: { type: 'interrupt', interrupts } }));
        }
        break;
      case 'WorkflowCompleted':
        out.push(...this.end({ type: 'RUN_FINISHED', ...this.ids, result: event.content, outcome: { type: 'success' } }));
        break;
      case 'WorkflowCancelled':
        out.push(...this.end({ type: 'RUN_FINISHED', ...this.ids, outcome: { type: 'cancelled' } }));
        break;
      case 'WorkflowError':
        out.push(...this.end({ type: 'RUN_ERROR', message: event.error }));
        break;
      default:
        break;
    }
    return out;
  }

  private endMessages(which: (message: OpenMessage, messageId: string) => boolean): Unstamped[] {
    const out: Unstamped[] = [];
    for (const [messageId, message] of this.open) {
      if (!which(message, messageId)) continue;
      this.open.delete(messageId);
      if (message.kind === 'text') out.push({ type: 'TEXT_MESSAGE_END', messageId });
      else out.push({ type: 'REASONING_MESSAGE_END', messageId }, { type: 'REASONING_END', messageId });
    }
    return out;
  }

  private end(last: Unstamped): Unstamped[] {
    const out = this.endMessages(() => true);
    for (const name of this.steps.values()) out.push({ type: 'STEP_FINISHED', stepName: name });
    this.steps.clear();
    this.ended = true;
    return [...out, last];
  }

  /**
   * Each event's cursor: the last event of a frame has the frame's, those before it the cursor
   * before the frame, so a client that has part of a frame's events gets the frame again.
   */
  private stamp(events: Unstamped[], id: string): AguiEvent[] {
    const before = this.cursor;
    this.cursor = id;
    return events.map((event, i) => ({ ...event, metadata: { cursor: i === events.length - 1 ? id : before } }));
  }
}
