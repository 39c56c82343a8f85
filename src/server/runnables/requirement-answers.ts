/**
 * A continue's answers as the tool calls they answer: Agno's clients send an agent's as `tools`
 * and a team's as `requirements`, whose answer may stand on the requirement or on its
 * `tool_execution` (the nested one wins when both are set, as in Agno's `RunRequirement.from_dict`).
 */
import type { ToolExecution } from '../../contracts/events.ts';

interface GivenRequirement {
  tool_execution: Record<string, unknown> & { tool_call_id: string };
  confirmation?: boolean | null;
  confirmation_note?: string | null;
  external_execution_result?: string | null;
  user_input_schema?: unknown[] | null;
}

export function answeredTools(body: { tools?: unknown[]; requirements?: GivenRequirement[] }): ToolExecution[] {
  if (body.tools) return body.tools as ToolExecution[];
  return (body.requirements ?? []).map((requirement) => {
    const tool = requirement.tool_execution;
    return {
      ...tool,
      confirmed: tool.confirmed ?? requirement.confirmation,
      confirmation_note: tool.confirmation_note ?? requirement.confirmation_note,
      result: tool.result ?? requirement.external_execution_result,
      user_input_schema: requirement.user_input_schema ?? tool.user_input_schema,
    } as unknown as ToolExecution;
  });
}
