/**
 * What the nodes of one run share, and where each node stands in the chain of steps.
 */
import type { RunContinuation, RunInput, StepCheckpoint, StepPlan } from '../contracts/plan.ts';
import type { ExecutorRunRecord, RunRequirement, StepFields, StepRequirement } from '../contracts/events.ts';
import type { StepInputData } from '../contracts/activities.ts';
import type { RunActivities } from './activity-proxies.ts';
import type { EventLog } from './event-log.ts';
import type { RunRecorder } from './run-recorder.ts';

export interface RunScope {
  run: RunInput;
  log: EventLog;
  activities: RunActivities;
  /** What brings the run's committed events to the run store (stubs made for a step carry them too). */
  recorder: RunRecorder;
  /** Has unsent events written to the run store now: before the run waits with no activity in flight, and before it ends. */
  writeToRunStore(why: string): Promise<void>;
  workflowId: string;
  /** Content of every step completed so far, by name (Agno's `previousStepOutputs`). */
  outputs: Record<string, string>;
  /** Holds the run after a step failed; resolves with what the user decided. */
  pause(step: StepPlan, fields: StepFields, error: string): Promise<'retry' | 'abort'>;
  /** Holds the run until a person answers the requirement; undefined when the wait timed out. */
  ask(requirement: StepRequirement & StepFields, timeoutMs: number | undefined): Promise<StepRequirement | undefined>;
  /** Holds the run until a person answers the tool calls its agent waits on (an agent's own run, shown meanwhile as `paused`); the answers. */
  askTools(requirements: RunRequirement[], paused: ExecutorRunRecord): Promise<RunRequirement[]>;
  /**
   * A safe point (no activity in flight) at `position`: when a budget of this execution is
   * reached, the run continues as new from there and this never returns (see continue-as-new.ts).
   */
  checkpoint(position: Pick<RunContinuation, 'stepIndex' | 'inside'>): Promise<void>;
  /** Keeps the ended run of a step's agent or team for the run's `step_executor_runs`. */
  recordExecutorRun(run: ExecutorRunRecord): void;
  /** Where inside top-level step `stepIndex` this execution resumes, once: the continuation it started from. */
  resumeAt<K extends StepCheckpoint['kind']>(stepIndex: number, kind: K): Extract<StepCheckpoint, { kind: K }> | undefined;
}

/** A node's place: the top-level step index its events carry, and the content it starts from. */
export interface NodeInput {
  index: number;
  /** Content of the previous step in the chain; the workflow input for the first step. */
  content: string;
  /** Content of the previous step, if there is one (Agno's `previousStepContent`). */
  previous?: string;
  /** What a person entered for this step. */
  userInput?: Record<string, unknown>;
  /** Set on the run's own steps (not inside groups): only there may the run continue as new. */
  topLevel?: boolean;
}

/** Agno's `StepInput` of a user function at this place in the run. */
export function stepInput(scope: RunScope, at: NodeInput): StepInputData {
  return {
    input: scope.run.input,
    previousStepContent: at.previous,
    previousStepOutputs: { ...scope.outputs },
    additionalData: scope.run.additionalData,
    ...(at.userInput ? { userInput: at.userInput } : {}),
  };
}
