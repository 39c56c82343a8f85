import type { RunContinuation, RunFork, RunResume } from './run-carry.ts';
import type { ReusedCalls } from './reused-calls.ts';
import type { UserInputField } from './tool-execution.ts';

export type { AgentCheckpoint, CarriedLog, LogSegment, LoopCheckpoint, RunContinuation, RunFork, RunResume, StepCheckpoint } from './run-carry.ts';

/**
 * The plan: what a definition (Agent, Team, Step, Workflow) compiles to.
 *
 * A plan is plain JSON. It is the Temporal workflow's input, so every run's history carries the
 * exact plan it ran with and stays replayable after the definitions in code have changed.
 * Secrets (API keys) and code (tool functions, function steps) never go into a plan: the worker
 * resolves them by name in its registry.
 */

export type ModelProvider = 'openai-responses' | 'openai-chat';

export interface ModelPlan {
  provider: ModelProvider;
  /** Model id sent to the provider, e.g. `gpt-5.2`. */
  id: string;
  /** Base URL override; absent means `OPENAI_BASE_URL` or the provider default on the worker. */
  baseURL?: string;
  /** Registry key of the model definition, used by the worker to find per-model credentials. */
  ref: string;
  temperature?: number;
  maxOutputTokens?: number;
  /** How much of its reasoning a Responses model is asked to summarize; absent asks for none. */
  reasoningSummary?: ReasoningSummary;
}

/** The Responses API's `reasoning.summary` values. */
export type ReasoningSummary = 'auto' | 'concise' | 'detailed';

/** JSON Schema of a tool's arguments, as the model sees it. */
export type JsonSchema = { [key: string]: unknown };

export interface ToolPlan {
  /** Function name the model calls; also the tool's key in the worker's registry. */
  name: string;
  description: string;
  /** The arguments the model gives (without those a person fills in). */
  parameters: JsonSchema;
  /** Set when a call of the tool waits for a person (Agno's human in the loop). */
  pause?: ToolPausePlan;
}

/** What a call of the tool waits for: Agno's `requires_confirmation`, `requires_user_input`, `external_execution`. */
export interface ToolPausePlan {
  requiresConfirmation?: boolean;
  /** The arguments a person fills in (the model gives the others): Agno's `user_input_schema`. */
  userInput?: UserInputField[];
  externalExecution?: boolean;
}

export interface AgentPlan {
  kind: 'agent';
  /** URL-safe id derived from the name; how a team leader addresses this member. */
  id: string;
  name: string;
  role?: string;
  instructions: string[];
  model: ModelPlan;
  tools: ToolPlan[];
  /** Upper bound on model calls in one run of this agent. */
  maxTurns: number;
  /** Its own runs see this many earlier runs of their session (Agno's `add_history_to_context`, `num_history_runs`). */
  history?: HistoryPlan;
}

export interface HistoryPlan {
  runs: number;
}

export type TeamMode = 'coordinate' | 'route' | 'broadcast';

export interface TeamPlan {
  kind: 'team';
  id: string;
  name: string;
  role?: string;
  mode: TeamMode;
  instructions: string[];
  model: ModelPlan;
  members: MemberPlan[];
  /** Upper bound on leader model calls in one run of this team. */
  maxTurns: number;
  /** Its own runs see this many earlier runs of their session (Agno's `add_history_to_context`, `num_history_runs`). */
  history?: HistoryPlan;
}

export type MemberPlan = AgentPlan | TeamPlan;

export type StepExecutorPlan =
  | { kind: 'agent'; agent: AgentPlan }
  | { kind: 'team'; team: TeamPlan }
  /** A user function; `ref` finds it in the worker's registry; `name` is its own, when it has one. */
  | { kind: 'function'; ref: string; name?: string }
  /** Another workflow, run as a child workflow (its own run, history and event log). */
  | { kind: 'workflow'; workflow: WorkflowPlan };

/** What a step does when it fails (after its retries). */
export type StepErrorPolicy = 'fail' | 'skip' | 'pause';

export interface StepPlan {
  /** Absent in plans of plain step lists (the first plan version); `step` otherwise. */
  kind?: 'step';
  id: string;
  name: string;
  description?: string;
  executor: StepExecutorPlan;
  /** Retries of the step's activities on transient failures (maximum attempts = retries + 1). */
  retries?: number;
  onError?: StepErrorPolicy;
  /** A person must confirm the step, or give it input, before it runs. */
  human?: HumanCheckPlan;
}

export interface HumanCheckPlan {
  confirmationMessage?: string;
  /** Ask for input, described by a JSON Schema of type object. */
  userInput?: { message: string; schema: JsonSchema };
  /** When the step is rejected: skip it (default) or fail the run. */
  onReject: 'skip' | 'fail';
  /** How long to wait for an answer; absent: for ever. */
  timeoutMs?: number;
  /** When nobody answers in time: skip the step (default), fail the run, or run it as if confirmed. */
  onTimeout: 'skip' | 'fail' | 'approve';
}

/** Runs its steps at the same time, each with the same input; the content joins theirs. */
export interface ParallelPlan {
  kind: 'parallel';
  id: string;
  name: string;
  steps: StepNodePlan[];
}

/** Runs `steps` when the evaluator says so, else `elseSteps`. */
export interface ConditionPlan {
  kind: 'condition';
  id: string;
  name: string;
  /** A constant, or the registry key of a function of the step input. */
  evaluator: boolean | string;
  steps: StepNodePlan[];
  elseSteps: StepNodePlan[];
}

/** Runs its steps again and again, until the end condition holds or `maxIterations`. */
export interface LoopPlan {
  kind: 'loop';
  id: string;
  name: string;
  steps: StepNodePlan[];
  maxIterations: number;
  /** Registry key of a function of the iteration's outputs; absent: run all iterations. */
  endCondition?: string;
}

/** Runs the choices a selector function picks (by name). */
export interface RouterPlan {
  kind: 'router';
  id: string;
  name: string;
  selector: string;
  choices: StepNodePlan[];
}

/** A named sequence of steps. */
export interface StepsPlan {
  kind: 'steps';
  id: string;
  name: string;
  steps: StepNodePlan[];
}

export type StepNodePlan = StepPlan | ParallelPlan | ConditionPlan | LoopPlan | RouterPlan | StepsPlan;

export function isStepPlan(node: StepNodePlan): node is StepPlan {
  return node.kind === undefined || node.kind === 'step';
}

/** Who runs a step, as Agno's `executor_name` shows it: the agent, team or workflow name, or the function's key. */
export function executorName(step: StepPlan): string {
  switch (step.executor.kind) {
    case 'agent':
      return step.executor.agent.name;
    case 'team':
      return step.executor.team.name;
    case 'function':
      return step.executor.ref;
    case 'workflow':
      return step.executor.workflow.name;
  }
}

/**
 * What a run does when a step fails: `fail` ends it ERROR (it can be retried from the failed step
 * later); `hold` pauses it (PAUSED) until a retry or abort signal, so a fix can be deployed and
 * the run continued in place.
 */
export type FailurePolicy = 'fail' | 'hold';

export interface WorkflowPlan {
  id: string;
  name: string;
  description?: string;
  steps: StepNodePlan[];
  onFailure?: FailurePolicy;
  /**
   * Set when the plan is an agent's or a team's own run (one step running it, see
   * src/definitions/runnable.ts): the step's agent or team run takes the run's id as its own.
   */
  runnable?: 'agent' | 'team';
}

/** Timeouts the interpreter gives its activities. Defaults: `DEFAULT_TIMEOUTS` in `src/workflows/activity-proxies.ts`. */
export interface ActivityTimeouts {
  /** A model call must send a heartbeat at least this often (ms); a dead worker is noticed after it. */
  heartbeatTimeoutMs?: number;
  /** Upper bound of one model call attempt (ms). */
  modelCallTimeoutMs?: number;
  /** Upper bound of one tool call attempt (ms). */
  toolCallTimeoutMs?: number;
  /** Upper bound of one attempt of a user function: a function step, evaluator, selector or end condition (ms). */
  userFunctionTimeoutMs?: number;
  /** Attempts for transient failures of one model, tool or user function call; 0 means unlimited. */
  maximumAttempts?: number;
}

/** The input of one run: the Temporal workflow's only argument. */
export interface RunInput {
  plan: WorkflowPlan;
  input: string;
  sessionId: string;
  userId?: string;
  additionalData?: Record<string, unknown>;
  /** The caller's metadata of the run (Agno's `metadata`): kept with it and shown on its output, never read by steps. */
  metadata?: Record<string, unknown>;
  timeouts?: ActivityTimeouts;
  /** Smaller budgets for one execution of the run before it continues as new (see src/workflows/continue-as-new.ts). */
  historyBudget?: HistoryBudget;
  /** Longest the run may take: past it, it ends ERROR (see src/workflows/run-timeout.ts). Absent: no limit. */
  timeout?: RunTimeout;
  /** Set when a failed run is retried: where the earlier attempt got to. */
  resume?: RunResume;
  /**
   * Set when a failed run is retried: the model and tool calls its failed step completed, by
   * reuse key, answered again without being made again. Kept across continue-as-new.
   */
  reusedCalls?: ReusedCalls;
  /** Set when the run continued as new: where the previous execution stopped. A fork starts so too. */
  continued?: RunContinuation;
  /** Set on a fork: the run it was made from and the step it starts at. */
  forkedFrom?: RunFork;
  /**
   * Set by a session's queue for a run cancelled before its turn: the run runs nothing and ends
   * CANCELLED (with its `WorkflowCancelled` event) as soon as the queue's cancellation reaches it.
   */
  cancelledInQueue?: boolean;
}

/**
 * A run's time limit. Its deadline is set when the run's first execution starts (not when it is
 * submitted: a run queued in its session waits on nobody's clock), and is absolute from then on,
 * so it holds across continue-as-new (the next execution carries it); a retry or a fork of the
 * run starts with none, so it gets `seconds` again.
 */
export interface RunTimeout {
  seconds: number;
  /** Milliseconds since the epoch; set by the workflow at the run's start. */
  deadlineMs?: number;
}

/** How much history one execution of a run may grow before the run continues as new, at its next safe point. */
export interface HistoryBudget {
  /** History events; default (and most) `HISTORY_EVENTS_BUDGET`. */
  events?: number;
  /** History bytes; default (and most) `HISTORY_BYTES_BUDGET`. */
  bytes?: number;
}
