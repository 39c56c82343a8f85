/**
 * A run as AG-UI's shared agent state (STATE_SNAPSHOT, then STATE_DELTA as JSON Patch): its status,
 * the step it is at, each step's status and metrics, and the run's metrics once it completed.
 * Every patch sets values (`add` of an object member, `replace`), never appends, so a patch applied
 * twice (a client that takes the run up a little before where its state was built) leaves the same
 * state. Pure.
 */
import type { RunEvent } from '../../contracts/events.ts';
import type { RunMetrics } from '../../contracts/metrics.ts';

export type AguiRunStatus = 'RUNNING' | 'PAUSED' | 'COMPLETED' | 'ERROR' | 'CANCELLED';

interface StepRef {
  step_id: string;
  step_name: string;
  step_index: number;
}

export interface AguiStepState {
  step_name: string;
  step_index: number;
  status: 'RUNNING' | 'COMPLETED' | 'ERROR';
  error?: string;
  /** The step's agent or team run's metrics (tokens, time to first token), once it completed. */
  metrics?: unknown;
}

export interface AguiRunState {
  /** Our run behind AG-UI's run. */
  run_id: string;
  status: AguiRunStatus;
  /** The step begun last and not yet ended; null between steps. */
  current_step: StepRef | null;
  /** By step id. */
  steps: Record<string, AguiStepState>;
  /** The run's metrics (per step, duration), once it completed. */
  metrics: RunMetrics | null;
}

export type JsonPatchOperation = { op: 'add' | 'replace'; path: string; value: unknown };

export function initialRunState(runId: string): AguiRunState {
  return { run_id: runId, status: 'RUNNING', current_step: null, steps: {}, metrics: null };
}

/** What an event of the run's log changes in the state; empty when nothing. */
export function statePatch(event: RunEvent): JsonPatchOperation[] {
  const status = (value: AguiRunStatus): JsonPatchOperation => ({ op: 'replace', path: '/status', value });
  switch (event.event) {
    case 'StepStarted': {
      const step = { step_id: event.step_id, step_name: event.step_name, step_index: event.step_index };
      return [
        { op: 'add', path: stepPath(event.step_id), value: { step_name: event.step_name, step_index: event.step_index, status: 'RUNNING' } },
        { op: 'replace', path: '/current_step', value: step },
      ];
    }
    case 'StepCompleted': {
      const metrics = event.step_response.metrics;
      return [
        { op: 'add', path: stepPath(event.step_id), value: { step_name: event.step_name, step_index: event.step_index, status: 'COMPLETED', ...(metrics ? { metrics } : {}) } },
        { op: 'replace', path: '/current_step', value: null },
      ];
    }
    case 'StepError':
      return [
        { op: 'add', path: stepPath(event.step_id), value: { step_name: event.step_name, step_index: event.step_index, status: 'ERROR', error: event.error } },
        { op: 'replace', path: '/current_step', value: null },
      ];
    case 'WorkflowPaused':
      return [status('PAUSED')];
    case 'StepContinued':
      return [status('RUNNING')];
    case 'WorkflowCompleted':
      return [status('COMPLETED'), { op: 'replace', path: '/metrics', value: event.metrics }];
    case 'WorkflowError':
      return [status('ERROR')];
    case 'WorkflowCancelled':
      return [status('CANCELLED')];
    default:
      return [];
  }
}

/** The state after a patch of `statePatch` (the only patches it applies). */
export function applyStatePatch(state: AguiRunState, patch: JsonPatchOperation[]): AguiRunState {
  let next = state;
  for (const { path, value } of patch) {
    if (path.startsWith('/steps/')) {
      const stepId = path.slice('/steps/'.length).replaceAll('~1', '/').replaceAll('~0', '~');
      next = { ...next, steps: { ...next.steps, [stepId]: value as AguiStepState } };
    } else {
      next = { ...next, [path.slice(1)]: value };
    }
  }
  return next;
}

/** A JSON Pointer to a step's entry (RFC 6901 escapes `~` and `/` in the id). */
function stepPath(stepId: string): string {
  return `/steps/${stepId.replaceAll('~', '~0').replaceAll('/', '~1')}`;
}
