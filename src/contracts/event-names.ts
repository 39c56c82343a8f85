/**
 * The names of a run's statuses and events, as Agno names them: plain constants, so that the
 * wire schemas (wire-schemas/) and workflow code both read them.
 */

export const RUN_STATUSES = ['PENDING', 'RUNNING', 'COMPLETED', 'ERROR', 'CANCELLED', 'PAUSED'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

export const TERMINAL_STATUSES: readonly RunStatus[] = ['COMPLETED', 'ERROR', 'CANCELLED'];

export const WORKFLOW_EVENTS = [
  'WorkflowStarted',
  'WorkflowCompleted',
  'WorkflowError',
  'WorkflowCancelled',
  'WorkflowPaused',
  'WorkflowReset',
  'StepStarted',
  'StepCompleted',
  'StepError',
  'StepContinued',
  'ParallelExecutionStarted',
  'ParallelExecutionCompleted',
  'ConditionExecutionStarted',
  'ConditionExecutionCompleted',
  'LoopExecutionStarted',
  'LoopIterationStarted',
  'LoopIterationCompleted',
  'LoopExecutionCompleted',
  'RouterExecutionStarted',
  'RouterExecutionCompleted',
  'StepsExecutionStarted',
  'StepsExecutionCompleted',
] as const;

export const AGENT_EVENTS = [
  'RunStarted',
  'ModelRequestStarted',
  'RunContent',
  'ModelRequestCompleted',
  'RunContentCompleted',
  'RunCompleted',
  'RunError',
  'ToolCallStarted',
  'ToolCallCompleted',
  'RunPaused',
  'RunContinued',
] as const;

export const TEAM_EVENTS = [
  'TeamRunStarted',
  'TeamModelRequestStarted',
  'TeamRunContent',
  'TeamModelRequestCompleted',
  'TeamRunContentCompleted',
  'TeamRunCompleted',
  'TeamRunError',
  'TeamToolCallStarted',
  'TeamToolCallCompleted',
  'TeamRunPaused',
  'TeamRunContinued',
] as const;

export type WorkflowEventName = (typeof WORKFLOW_EVENTS)[number];
export type AgentEventName = (typeof AGENT_EVENTS)[number];
export type TeamEventName = (typeof TEAM_EVENTS)[number];
export type EventName = WorkflowEventName | AgentEventName | TeamEventName;

export const EVENT_NAMES = [...WORKFLOW_EVENTS, ...AGENT_EVENTS, ...TEAM_EVENTS] as const;
