/**
 * Model and tool calls that a retry of a failed run answers from the failed attempt instead of
 * making them again (see src/contracts/reused-calls.ts). Each call made where it has a reuse key
 * carries the key in its input, so the engine can find its result in the run's history when the
 * run fails; a call whose key the retry carries is not made: its recorded result is used, and the
 * loop goes on exactly as it did, emitting the same events, up to the call that failed.
 *
 * Deterministic: the reused results come in the workflow's input. Runs recorded before keys
 * existed replay unchanged: a key is one more field of an activity's input, which Temporal does
 * not compare on replay, and a run without reused calls schedules the very same activities.
 * These functions are not `async` on purpose: they hand back the activity's own promise, so the
 * loop resumes after a call in the same microtask as before, and the order of the commands that
 * concurrent parts of the run issue in one workflow task stays what recorded histories hold.
 */
import type { ActivityOptions } from '@temporalio/workflow';
import type { ModelCallInput, ModelCallResult, ToolCallInput, ToolCallResult } from '../contracts/activities.ts';
import type { ExecutionContext } from './context.ts';

/** The model call of `turn`, made unless the retry reuses it. */
export function callModelOnce(ctx: ExecutionContext, turn: number, options: ActivityOptions, input: ModelCallInput): Promise<ModelCallResult> {
  const key = ctx.calls && `${ctx.calls.key}/model-${turn}`;
  const reused = key !== undefined ? ctx.calls!.reused?.model[key] : undefined;
  // Its text went out live in the failed attempt: here it is logged in one piece.
  if (reused) return Promise.resolve(withoutStreamed(reused));
  return ctx.activities.model.callModel.executeWithOptions(options, [{ ...input, ...(key !== undefined ? { reuseKey: key } : {}) }]);
}

/** The tool call a model call asked for, made unless the retry reuses it. */
export function callToolOnce(ctx: ExecutionContext, toolCallId: string, options: ActivityOptions, input: ToolCallInput): Promise<ToolCallResult> {
  const key = toolCallKey(ctx, toolCallId);
  const reused = key !== undefined ? ctx.calls!.reused?.tools[key] : undefined;
  if (reused) return Promise.resolve(reused);
  return ctx.activities.tool.callTool.executeWithOptions(options, [{ ...input, ...(key !== undefined ? { reuseKey: key } : {}) }]);
}

/** The context of the executor a tool call runs (a team's member, on a delegation): its calls' keys start with the tool call's. */
export function withinToolCall(ctx: ExecutionContext, toolCallId: string, executor: string): ExecutionContext {
  const key = toolCallKey(ctx, toolCallId);
  return key === undefined ? ctx : { ...ctx, calls: { ...ctx.calls, key: `${key}/${executor}` } };
}

/**
 * The context of a loop's tool calls after its model call of `turn`: their keys follow that call's.
 * The loop sets it for each turn, so that a tool (or a member run by it) knows where it stands.
 */
export function afterModelCall(ctx: ExecutionContext, turn: number): ExecutionContext {
  return ctx.calls ? { ...ctx, calls: { ...ctx.calls, key: `${ctx.calls.key}/model-${turn}` } } : ctx;
}

function toolCallKey(ctx: ExecutionContext, toolCallId: string): string | undefined {
  return ctx.calls && `${ctx.calls.key}/tool-${toolCallId}`;
}

function withoutStreamed(result: ModelCallResult): ModelCallResult {
  const { streamed: _streamed, ...rest } = result;
  return rest;
}
