/**
 * The spans of a run's model calls and tool calls, inside their activity's span, named and
 * described as OpenTelemetry's generative AI conventions do (`chat gpt-5.2`,
 * `execute_tool get_current_stock_price`), with the run's id (`run.id`). One span per attempt:
 * a retried call has one for each.
 */
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import type { ModelCallInput, ModelCallResult, ToolCallResult } from '../contracts/activities.ts';
import { inSpan, RUN_ID_ATTRIBUTE } from './spans.ts';

/** The request to the model, from sending it to the end of its answer (streamed or not). */
export function inModelCallSpan(input: ModelCallInput, call: () => Promise<ModelCallResult>): Promise<ModelCallResult> {
  const attributes = {
    [RUN_ID_ATTRIBUTE]: input.workflowId,
    'gen_ai.operation.name': 'chat',
    // Both providers speak OpenAI's API (OpenAI itself, or a compatible server at OPENAI_BASE_URL).
    'gen_ai.system': 'openai',
    'gen_ai.request.model': input.model.id,
  };
  return inSpan(`chat ${input.model.id}`, { kind: SpanKind.CLIENT, attributes }, async (span) => {
    const result = await call();
    span.setAttributes({
      'gen_ai.usage.input_tokens': result.usage.input_tokens,
      'gen_ai.usage.output_tokens': result.usage.output_tokens,
      ...(result.responseId ? { 'gen_ai.response.id': result.responseId } : {}),
    });
    return result;
  });
}

/**
 * A tool call, from the check of the model's arguments to the tool's output. An error that goes
 * back to the model as text (bad arguments, the tool failing or timing out) marks the span failed.
 */
export function inToolCallSpan(runId: string | undefined, toolName: string, call: () => Promise<ToolCallResult>): Promise<ToolCallResult> {
  const attributes = { ...(runId ? { [RUN_ID_ATTRIBUTE]: runId } : {}), 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': toolName };
  return inSpan(`execute_tool ${toolName}`, { attributes }, async (span) => {
    const result = await call();
    if (result.isError) span.setStatus({ code: SpanStatusCode.ERROR, message: result.output.slice(0, 1000) });
    return result;
  });
}
