/**
 * An agent's or team's own run's events as Agno's AgentOS streams them: the agent's and team's
 * events alone, without the workflow and step events around them or their workflow and step
 * fields, and the run's end as the agent's or team's (docs/adr/0020-agents-and-teams-are-one-step-runs.md).
 *
 * Stateless, event by event: a stream resumed at any event shows the same frames from there.
 * Every frame keeps its `event_index` (a live one has none) and the SSE id of the stream it is in.
 */
import type { RunEvent } from '../../contracts/events.ts';
import type { StreamedEvent } from '../../contracts/live.ts';
import type { StreamFrame } from '../../live/stream-merge.ts';
import type { Runnable } from '../../definitions/runnable.ts';
import { AGENTS, TEAMS } from './kinds.ts';
import { withoutEmptyMetadata } from './run-output.ts';
import { isOwnPause } from './own-pause.ts';

type Wire = Record<string, unknown> & { event: string };

/** Fields that place an event in a workflow: an agent's or team's own run has none. */
const WORKFLOW_FIELDS = ['workflow_id', 'workflow_name', 'workflow_run_id', 'step_id', 'step_name', 'step_index'];

const HIDDEN: ReadonlySet<string> = new Set([
  'WorkflowStarted',
  'WorkflowCompleted',
  'WorkflowPaused',
  'StepStarted',
  'StepCompleted',
  'StepError',
  'StepContinued',
  'WorkflowReset',
]);

/** The event as Agno shows it for this runnable's run, or undefined when Agno has no such event. */
export function wireEvent(runnable: Runnable, event: StreamedEvent): Wire | undefined {
  if (HIDDEN.has(event.event)) return undefined;
  const kind = runnable.kind === 'agent' ? AGENTS : TEAMS;
  const { member } = runnable;
  if (event.event === 'WorkflowError' || event.event === 'WorkflowCancelled') {
    const end = event as RunEvent & { event: 'WorkflowError' | 'WorkflowCancelled' };
    const identity = { event_index: end.event_index, created_at: end.created_at, [kind.idField]: member.id, [kind.nameField]: member.name, run_id: end.run_id, session_id: end.session_id };
    return end.event === 'WorkflowError'
      ? { event: kind.errorEvent, ...identity, content: end.error }
      : { event: kind.cancelledEvent, ...identity, reason: end.reason, content: end.content };
  }
  // The top-level executor's own failure: the run's end above says it once.
  if ((event.event === 'RunError' || event.event === 'TeamRunError') && !('parent_run_id' in event && event.parent_run_id !== undefined)) return undefined;
  const wire: Wire = { ...event };
  for (const field of WORKFLOW_FIELDS) delete wire[field];
  if (wire.event === 'RunCompleted' || wire.event === 'TeamRunCompleted') endOfRun(wire);
  return wire;
}

/**
 * Agno's end of a run under an agent's or team's own run: metadata only when there is some (also
 * in a team's members' runs); and at the top, the session and run a step's agent names in
 * session_state are not named (an agent's is empty, a team's absent).
 */
function endOfRun(wire: Wire): void {
  if (wire.metadata && Object.keys(wire.metadata).length === 0) delete wire.metadata;
  if (Array.isArray(wire.member_responses)) wire.member_responses = wire.member_responses.map(withoutEmptyMetadata);
  if (wire.parent_run_id !== undefined) return;
  if (wire.event === 'RunCompleted') wire.session_state = {};
  else delete wire.session_state;
}

/** Each client of a run gets the same event objects (src/live/run-tails.ts): each is mapped once. */
const mapped = new WeakMap<object, Wire | null>();

/**
 * A run's stream as Agno shows it (see `wireEvent`), frame by frame. `endAtPause`: the stream
 * ends at the agent's pause for a person, as Agno's run and continue streams do (a resumed
 * stream stays open and goes on once the run is continued).
 */
export async function* wireFrames(runnable: Runnable, frames: AsyncIterable<StreamFrame>, options: { endAtPause?: boolean } = {}): AsyncGenerator<StreamFrame> {
  for await (const frame of frames) {
    let wire = mapped.get(frame.event);
    if (wire === undefined) {
      wire = wireEvent(runnable, frame.event) ?? null;
      mapped.set(frame.event, wire);
    }
    // The SSE writer takes any event object; these carry Agno's names beyond the log's.
    if (wire) yield { id: frame.id, event: wire as unknown as StreamedEvent };
    if (options.endAtPause && isOwnPause(frame.event as { event: string; parent_run_id?: unknown })) return;
  }
}
