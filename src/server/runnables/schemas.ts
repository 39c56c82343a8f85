/**
 * What the agent and team routes answer, as AgentOS names it: an agent or team (`AgentResponse`,
 * `TeamResponse`, described as a workflow's steps describe theirs) and a run (`RunOutput`,
 * `TeamRunOutput`, declared with the other run outputs in src/contracts/wire-schemas/run-output.ts). Their requests are the run routes' (`RunRequest`, `RunQuery`, `CancelQuery`).
 */
import { z } from 'zod';
import { id } from '../wire/common.ts';

/** An agent or team as `GET /agents` and `GET /teams` describe it (Agno's fields; see describe-workflow.ts). */
export const RunnableDescription = z.looseObject({ id: z.string(), name: z.string() });

export { RunnableRunOutput } from '../../contracts/wire-schemas/run-output.ts';

/** A person's answer to one tool call a paused run waits on: the call's tool execution with the answer, as Agno's clients send it (unset fields as null). */
const ToolAnswer = z.looseObject({
  tool_call_id: z.string(),
  confirmed: z.boolean().nullish().describe('For a call that needs confirmation: run it, or tell the model it was rejected.'),
  confirmation_note: z.string().nullish(),
  result: z.string().nullish().describe('For a tool run elsewhere: its output.'),
  user_input_schema: z.array(z.looseObject({ name: z.string(), value: z.unknown().optional() })).nullish().describe('For a call that needs input: the fields with their values.'),
  tool_args: z.record(z.string(), z.unknown()).nullish(),
});

/** A person's answer as a paused run's requirement (Agno's `RunRequirement`): the answer on it, or on its `tool_execution`. */
const RequirementAnswer = z.looseObject({
  id: z.string().nullish(),
  tool_execution: ToolAnswer,
  confirmation: z.boolean().nullish(),
  confirmation_note: z.string().nullish(),
  external_execution_result: z.string().nullish(),
  user_input_schema: ToolAnswer.shape.user_input_schema,
});

/** `POST /agents/{agent_id}/runs/{run_id}/continue`, `POST /teams/{team_id}/runs/{run_id}/continue`: AgentOS's form fields. */
export const ToolsContinueRequest = z.object({
  tools: z.array(ToolAnswer).optional().describe('The paused tool calls with their answers (Agno’s `ToolExecution`s); a JSON string in forms.'),
  requirements: z
    .array(RequirementAnswer)
    .optional()
    .describe('Instead of `tools` (as Agno’s team continue takes them): the paused run’s requirements with their answers; a JSON string in forms.'),
  stream: z.boolean().default(true),
  session_id: id.optional(),
  user_id: id.optional(),
});
