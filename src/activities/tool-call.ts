/**
 * The tool call activity: validates the model's arguments against the tool's schema, runs the
 * tool with a timeout, and returns its output as text.
 *
 * A tool's ordinary error goes back to the model as text (it can try again differently); an
 * `ApplicationFailure` thrown by the tool is the tool's explicit choice and propagates: retryable
 * ones are retried by Temporal, non-retryable ones fail the run.
 */
import { ApplicationFailure, Context } from '@temporalio/activity';
import type { Registry } from '../registry/registry.ts';
import { validateArguments } from '../definitions/validate-arguments.ts';
import { withHeartbeats } from './heartbeat.ts';
import type { ToolCallInput, ToolCallResult } from '../contracts/activities.ts';
import { DEFAULT_MAX_OUTPUT_BYTES } from '../definitions/tool.ts';
import type { RunData } from './run-data.ts';
import type { ActivityMetrics, ToolCallOutcome } from './activity-metrics.ts';
import { inToolCallSpan } from '../tracing/call-spans.ts';

export const DEFAULT_TOOL_TIMEOUT_MS = 60_000;

/**
 * Cuts text to at most `maxBytes` of UTF-8 (never inside a character) and says so at the end:
 * `\n[output cut at 1,048,576 of 10,485,760 bytes]`. The cap is about the model's context, not
 * about transport: big outputs travel through the blob store.
 */
export function truncateOutput(text: string, maxBytes = DEFAULT_MAX_OUTPUT_BYTES): { text: string; truncated: boolean } {
  // Cheap test first: a string of n UTF-16 units has at most 3n UTF-8 bytes.
  if (text.length * 3 <= maxBytes) return { text, truncated: false };
  if (Buffer.byteLength(text, 'utf8') <= maxBytes) return { text, truncated: false };
  const bytes = Buffer.from(text, 'utf8');
  let end = maxBytes;
  // Back up over continuation bytes (10xxxxxx) to the first byte of a character.
  while (end > 0 && (bytes[end]! & 0xc0) === 0x80) end--;
  const marker = `\n[output cut at ${maxBytes.toLocaleString('en-US')} of ${bytes.byteLength.toLocaleString('en-US')} bytes]`;
  return { text: bytes.toString('utf8', 0, end) + marker, truncated: true };
}

function asText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === undefined) return '';
  return JSON.stringify(value);
}

type ToolCallDeps = { registry: Registry; data: RunData; metrics: ActivityMetrics };

export function createToolCall(deps: ToolCallDeps) {
  return async function callTool(input: ToolCallInput): Promise<ToolCallResult> {
    // The run is the workflow execution that scheduled the call (its id is the run's id).
    return inToolCallSpan(Context.current().info.workflowExecution?.workflowId, input.toolName, () => runTool(deps, input));
  };
}

async function runTool(deps: ToolCallDeps, input: ToolCallInput): Promise<ToolCallResult> {
  const tool = deps.registry.tool(input.toolName);
  // A name the model made up is not a label of its own: labels stay as few as the registered tools.
  const count = (outcome: ToolCallOutcome) => deps.metrics.toolCalls.inc({ tool: tool ? tool.name : '', outcome });
  if (!tool) {
    count('unknown_tool');
    throw ApplicationFailure.create({
      message: `No tool named ${input.toolName} is registered on this worker.`,
      type: 'UnknownTool',
      nonRetryable: true,
    });
  }
  let args: unknown;
  try {
    args = JSON.parse(input.arguments || '{}');
  } catch {
    count('invalid_arguments');
    return { output: `Error: the arguments of ${tool.name} are not valid JSON: ${input.arguments}`, isError: true, truncated: false };
  }
  const problems = validateArguments(tool.parameters, args);
  if (problems.length > 0) {
    count('invalid_arguments');
    return { output: `Error: invalid arguments for ${tool.name}: ${problems.join('; ')}`, isError: true, truncated: false };
  }
  const timeoutMs = tool.timeoutMs ?? DEFAULT_TOOL_TIMEOUT_MS;
  const signal = AbortSignal.any([Context.current().cancellationSignal, AbortSignal.timeout(timeoutMs)]);
  const startedAt = performance.now();
  const ran = (outcome: ToolCallOutcome) => {
    count(outcome);
    deps.metrics.toolCallDuration.observe({ tool: tool.name }, (performance.now() - startedAt) / 1000);
  };
  try {
    let output: unknown;
    try {
      output = await withHeartbeats(() => runAbortable(() => tool.execute(args as Record<string, unknown>, { signal }), signal));
    } catch (err) {
      const cancelled = Context.current().cancellationSignal.aborted;
      ran(err instanceof ApplicationFailure ? 'failure' : cancelled ? 'cancelled' : signal.aborted ? 'timeout' : 'error');
      throw err;
    }
    ran('ok');
    const { text, truncated } = truncateOutput(asText(output), tool.maxOutputBytes);
    // A big output is stored here and goes back as a reference: the model call reads it back.
    return { output: await deps.data.keep(text, 'output', input), isError: false, truncated };
  } catch (err) {
    if (err instanceof ApplicationFailure) throw err;
    const ctx = Context.current();
    if (ctx.cancellationSignal.aborted) throw ctx.cancellationSignal.reason;
    const reason = signal.aborted ? `timed out after ${timeoutMs} ms` : err instanceof Error ? err.message : String(err);
    return { output: `Error: ${tool.name} failed: ${reason}`, isError: true, truncated: false };
  }
}

/** Settles when the signal aborts even if the tool ignores its signal. */
function runAbortable(work: () => unknown, signal: AbortSignal): Promise<unknown> {
  return new Promise<unknown>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    Promise.resolve()
      .then(work)
      .then(resolve, reject)
      .finally(() => signal.removeEventListener('abort', onAbort));
  });
}
