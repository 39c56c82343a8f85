/**
 * A workflow as AgentOS describes it (`WorkflowSummaryResponse`, `WorkflowResponse`): in the list,
 * its id, name and where its runs are stored; in the detail, each step with the agent or team it
 * runs (Agno's `AgentResponse` / `TeamResponse`: model, tools with their JSON schemas, members,
 * instructions, streaming settings). Everything comes from the plan, the JSON the runs execute.
 *
 * `db_id` names where runs are kept: the Temporal namespace. No workflow here is a factory, a
 * component built in Agno's UI, or sandboxed, so those flags are always false.
 */
import type { z } from 'zod';
import { executorName, isStepPlan } from '../../contracts/plan.ts';
import type { AgentPlan, MemberPlan, ModelPlan, StepNodePlan, StepPlan, TeamPlan, ToolPlan } from '../../contracts/plan.ts';
import type { WorkflowDefinition } from '../../definitions/workflow.ts';
import { delegationTool } from '../../workflows/prompts.ts';
import type { WorkflowDetail, WorkflowSummary } from './schemas.ts';

type Described = Record<string, unknown>;

const FLAGS = { is_factory: false, is_component: false, sandboxed: false };

/** Agno's step type names for our plan node kinds. */
const STEP_TYPES: Record<string, string> = { step: 'Step', parallel: 'Parallel', condition: 'Condition', loop: 'Loop', router: 'Router', steps: 'Steps' };

const MODEL_CLASSES: Record<ModelPlan['provider'], string> = { 'openai-responses': 'OpenAIResponses', 'openai-chat': 'OpenAIChat' };

export function describeWorkflow(workflow: WorkflowDefinition, dbId: string): z.output<typeof WorkflowSummary> {
  return { id: workflow.id, name: workflow.name, description: workflow.description, db_id: dbId, ...FLAGS };
}

export function describeWorkflowDetail(workflow: WorkflowDefinition, dbId: string): z.output<typeof WorkflowDetail> {
  return { ...describeWorkflow(workflow, dbId), steps: workflow.toPlan().steps.map(describeNode), workflow_agent: false };
}

function describeModel(model: ModelPlan): Described {
  return { name: MODEL_CLASSES[model.provider], model: model.id, provider: 'OpenAI' };
}

/** Agno writes instructions as they were given; ours are a list, one string when there is one. */
function describeInstructions(instructions: string[]): Described | undefined {
  if (instructions.length === 0) return undefined;
  return { instructions: instructions.length === 1 ? instructions[0] : instructions };
}

function describeTools(tools: ToolPlan[], leader = false): Described | undefined {
  if (tools.length === 0) return undefined;
  // Agno flags each agent tool's human checks; a team leader's delegation tool has none.
  const flags = leader ? {} : { requires_confirmation: false, external_execution: false };
  return { tools: tools.map((tool) => ({ name: tool.name, description: tool.description, parameters: tool.parameters, ...flags })) };
}

function withoutUndefined(described: Described): Described {
  return Object.fromEntries(Object.entries(described).filter(([, value]) => value !== undefined));
}

function describeAgent(agent: AgentPlan): Described {
  return withoutUndefined({
    id: agent.id,
    name: agent.name,
    filesystem: false,
    role: agent.role,
    model: describeModel(agent.model),
    tools: describeTools(agent.tools),
    reasoning: { reasoning: false },
    system_message: describeInstructions(agent.instructions),
    ...FLAGS,
  });
}

function describeTeam(team: TeamPlan): Described {
  return withoutUndefined({
    id: team.id,
    name: team.name,
    role: team.role,
    mode: team.mode,
    model: describeModel(team.model),
    tools: describeTools([delegationTool(team)], true),
    reasoning: { reasoning: false },
    system_message: describeInstructions(team.instructions),
    streaming: { stream_member_events: true },
    members: team.members.map(describeMember),
    ...FLAGS,
  });
}

/** An agent or team as Agno's `AgentResponse` / `TeamResponse` describe it. */
export function describeMember(member: MemberPlan): Described {
  return member.kind === 'team' ? describeTeam(member) : describeAgent(member);
}

function describeStep(step: StepPlan): Described {
  const executor = step.executor;
  return withoutUndefined({
    name: step.name,
    description: step.description,
    type: 'Step',
    // Ours beyond Agno: who runs the step, in StepResult's terms.
    executor_type: executor.kind,
    executor_name: executorName(step),
    agent: executor.kind === 'agent' ? describeAgent(executor.agent) : undefined,
    team: executor.kind === 'team' ? describeTeam(executor.team) : undefined,
  });
}

/** A plan node as the API shows it: steps with their executor, groups with their steps. */
function describeNode(node: StepNodePlan): Described {
  if (isStepPlan(node)) return describeStep(node);
  const children = node.kind === 'router' ? node.choices : node.kind === 'condition' ? [...node.steps, ...node.elseSteps] : node.steps;
  return { name: node.name, type: STEP_TYPES[node.kind], step_type: node.kind, steps: children.map(describeNode) };
}
