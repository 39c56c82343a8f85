import type { ConversationState } from './conversation.ts';
import type { ExecutorRunRecord } from './executor-runs.ts';
import type { ExecutorRunMetrics, RunEvent, StepResult } from './events.ts';

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
}

/** JSON Schema of a tool's arguments, as the model sees it. */
export type JsonSchema = { [key: string]: unknown };

export interface ToolPlan {
  /** Function name the model calls; also the tool's key in the worker's registry. */
  name: string;
  description: string;
  parameters: JsonSchema;
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
  /** Set when a failed run is retried: where the earlier attempt got to. */
  resume?: RunResume;
  /** Set when the run continued as new: where the previous execution stopped. */
  continued?: RunContinuation;
}

/** How much history one execution of a run may grow before the run continues as new, at its next safe point. */
export interface HistoryBudget {
  /** History events; default (and most) `HISTORY_EVENTS_BUDGET`. */
  events?: number;
  /** History bytes; default (and most) `HISTORY_BYTES_BUDGET`. */
  bytes?: number;
}

/** Carried from a failed attempt into its retry, so the retry starts at the failed step. */
export interface RunResume {
  /** 2 for the first retry, and so on. */
  attempt: number;
  /** The earlier attempts' log, archived: the retry's events continue after it. */
  log?: CarriedLog;
  /** The earlier attempts' whole log inline: how retries started before logs were archived. */
  events?: RunEvent[];
  /** Results of the steps that completed; they are not run again. The earlier attempts' agent and team runs go on being shown. */
  stepResults: StepResult[];
  executorRuns?: ExecutorRunRecord[];
  /** Unix seconds when the first attempt started. */
  createdAt: number;
}

/** Events `first`..`last` of a run's log, stored in the blob store as one JSON array. */
export interface LogSegment {
  key: string;
  first: number;
  last: number;
  bytes: number;
}

/** A run's log as one execution hands it to the next: archived segments, in order, and the next index. */
export interface CarriedLog {
  segments: LogSegment[];
  next: number;
}

/**
 * What a run carries into its next execution when it continues as new, so the run goes on where
 * it stopped, invisibly from the outside: same run id, gapless event indexes, same results.
 * Runs continue only at safe points (no activity in flight): between top-level steps, between the
 * iterations of a top-level Loop, between the turns of an agent that is a top-level step.
 */
export interface RunContinuation {
  log: CarriedLog;
  /** Results of the top-level steps completed so far, and the runs of their agents and teams (absent before they were carried). */
  stepResults: StepResult[];
  executorRuns?: ExecutorRunRecord[];
  /** Content of every step completed so far, by name (Agno's `previousStepOutputs`). */
  outputs: Record<string, string>;
  /** Unix seconds when the run's first execution started. */
  createdAt: number;
  /** When this attempt of the run started (ms since the epoch), for its duration. */
  startedAtMs: number;
  /** The top-level step to go on at. */
  stepIndex: number;
  /** Where inside that step, when the run stopped inside it. */
  inside?: StepCheckpoint;
}

export type StepCheckpoint = LoopCheckpoint | AgentCheckpoint;

/** A top-level Loop between two iterations. */
export interface LoopCheckpoint {
  kind: 'loop';
  nextIteration: number;
  /** Content the next iteration starts from (the last iteration's). */
  content: string;
  /** The latest results of the loop's steps (at most `LOOP_RESULTS_KEPT`). */
  results: StepResult[];
}

/** An agent (the executor of a top-level step) between two model turns. */
export interface AgentCheckpoint {
  kind: 'agent';
  /** The step's attempt (2, 3, ... after pauses) and when it started (ms since the epoch). */
  attempt: number;
  stepStartedAtMs: number;
  /** The agent's own run id, on all its events, and its run so far (absent in checkpoints made before it was carried). */
  agentRunId: string;
  run?: ExecutorRunRecord;
  nextTurn: number;
  conversation: ConversationState;
  /** Token usage of the step so far. */
  usage: ExecutorRunMetrics;
  /** What a person entered for the step, when it asked. */
  userInput?: Record<string, unknown>;
}
