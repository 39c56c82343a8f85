/**
 * Records the run of an agent or team leader as its model loop goes: each model answer, each tool
 * call that ended, how the run ended (see src/contracts/executor-runs.ts for what is kept and
 * why it stays small). Deterministic: times are the workflow's.
 */
import type { ModelCallResult } from '../contracts/activities.ts';
import type { ExecutorIdentity, ExecutorRunMetrics, ExecutorRunRecord, ToolExecution } from '../contracts/events.ts';
import type { ExecutorRunStatus } from '../contracts/executor-runs.ts';

/** The runs a run's state keeps: its latest ones, so a Loop of thousands of agent runs stays small. */
export const EXECUTOR_RUNS_KEPT = 100;

export interface NewExecutorRun {
  fields: ExecutorIdentity;
  input: string;
  instructions: string;
  model: string;
  model_provider: string;
}

export function newExecutorRun({ fields, ...run }: NewExecutorRun): ExecutorRunRecord {
  const identity =
    'team_id' in fields ? { team_id: fields.team_id, team_name: fields.team_name } : { agent_id: fields.agent_id, agent_name: fields.agent_name };
  return {
    run_id: String(fields.run_id),
    ...identity,
    workflow_run_id: fields.workflow_run_id,
    ...(fields.parent_run_id !== undefined ? { parent_run_id: fields.parent_run_id } : {}),
    ...run,
    created_at: Math.floor(Date.now() / 1000),
    status: 'RUNNING',
    turns: [],
    tools: [],
  };
}

/** One answer of the model, as its call returned it. */
export function recordTurn(run: ExecutorRunRecord, result: ModelCallResult): void {
  const { input_tokens, output_tokens, total_tokens, reasoning_tokens, cache_read_tokens, cache_write_tokens } = result.usage;
  const ttft = result.timing?.time_to_first_token;
  run.turns.push({
    content: result.content,
    ...(result.reasoning ? { reasoning_content: result.reasoning } : {}),
    ...(result.toolCalls.length > 0 ? { tool_calls: result.toolCalls } : {}),
    ...(result.responseId !== undefined ? { response_id: result.responseId } : {}),
    metrics: {
      input_tokens,
      output_tokens,
      total_tokens,
      // Agno leaves out the counts a provider did not report.
      ...(reasoning_tokens ? { reasoning_tokens } : {}),
      ...(cache_read_tokens ? { cache_read_tokens } : {}),
      ...(cache_write_tokens ? { cache_write_tokens } : {}),
      ...(result.timing ? { duration: result.timing.duration } : {}),
      ...(ttft !== undefined ? { time_to_first_token: ttft } : {}),
    },
    created_at: Math.floor(Date.now() / 1000),
  });
}

/** A tool call that ended; the calls of one answer end in any order (see `orderTools`). */
export function recordTool(run: ExecutorRunRecord, tool: ToolExecution): void {
  run.tools.push(tool);
}

/** Puts the tool calls recorded since `from` in the order the model made them, as Agno lists them. */
export function orderTools(run: ExecutorRunRecord, from: number, calls: { id: string }[]): void {
  const place = new Map(calls.map((call, i) => [call.id, i]));
  const ended = run.tools.splice(from).sort((a, b) => (place.get(a.tool_call_id) ?? 0) - (place.get(b.tool_call_id) ?? 0));
  run.tools.push(...ended);
}

/** The run ended: answered, failed (the message as its content) or cancelled. */
export function endExecutorRun(run: ExecutorRunRecord, status: Exclude<ExecutorRunStatus, 'RUNNING'>, content: string, metrics: ExecutorRunMetrics): void {
  run.status = status;
  run.content = content;
  run.metrics = metrics;
}

/** Keeps an ended run among `runs`, the latest `EXECUTOR_RUNS_KEPT` of them. */
export function keepExecutorRun(runs: ExecutorRunRecord[], run: ExecutorRunRecord): void {
  runs.push(run);
  if (runs.length > EXECUTOR_RUNS_KEPT) runs.splice(0, runs.length - EXECUTOR_RUNS_KEPT);
}
