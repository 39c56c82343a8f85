/**
 * The model and tool calls a failed run completed in the step it failed at, carried into its
 * retry so the retry goes on from the call that failed: a call whose reuse key is here is
 * answered with the recorded result instead of being made again. See
 * docs/adr/0027-retry-from-the-failed-call.md.
 *
 * A reuse key names a call by where it stands in its step, never by an id drawn at random (a
 * team member's run id is new in every attempt): `step-1/model-2` is the second model call of
 * the agent or team of top-level step 1; `step-1/model-2/tool-call_7` the tool call `call_7`
 * that model call asked for; `step-1/model-2/tool-call_7/researcher/model-1` the first model
 * call of member `researcher`, run by that delegation.
 */
import type { ModelCallResult, ToolCallResult } from './call-results.ts';

export interface ReusedCalls {
  model: Record<string, ModelCallResult>;
  tools: Record<string, ToolCallResult>;
}
