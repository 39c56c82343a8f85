/**
 * System instructions built from a plan. They are built in workflow code from the plan alone, so
 * a replay rebuilds exactly the prompts the model saw.
 */
import type { AgentPlan, MemberPlan, TeamPlan, ToolPlan } from '../contracts/plan.ts';

export const DELEGATE_TOOL = 'delegate_task_to_member';
export const DELEGATE_ALL_TOOL = 'delegate_task_to_members';

function section(tag: string, body: string): string {
  return `<${tag}>\n${body}\n</${tag}>`;
}

function bulletList(lines: string[]): string {
  return lines.map((line) => `- ${line}`).join('\n');
}

export function agentInstructions(agent: AgentPlan): string {
  const parts: string[] = [];
  if (agent.role) parts.push(section('your_role', agent.role));
  if (agent.instructions.length > 0) parts.push(section('instructions', bulletList(agent.instructions)));
  return parts.join('\n\n');
}

function describeMember(member: MemberPlan, indent = ''): string {
  const type = member.kind === 'team' ? ' type="team"' : '';
  const lines = [`${indent}<member id="${member.id}" name="${member.name}"${type}>`];
  if (member.role) lines.push(`${indent}  Role: ${member.role}`);
  if (member.kind === 'agent' && member.tools.length > 0) {
    lines.push(`${indent}  Tools: ${member.tools.map((tool) => tool.name).join(', ')}`);
  }
  if (member.kind === 'team') lines.push(...member.members.map((inner) => describeMember(inner, `${indent}  `)));
  lines.push(`${indent}</member>`);
  return lines.join('\n');
}

const MODE_GUIDANCE: Record<TeamPlan['mode'], string> = {
  coordinate:
    `You lead a team. Break the request into tasks and give each to the member best suited to it with ` +
    `${DELEGATE_TOOL}; you may delegate to several members at once. Then combine their answers into your reply.`,
  route:
    `You route requests. Choose the single member best suited to the request and give it the task with ` +
    `${DELEGATE_TOOL}; that member's answer is returned to the user as it is.`,
  broadcast:
    `You lead a team. Give the task to every member at once with ${DELEGATE_ALL_TOOL}, ` +
    `then combine their answers into your reply.`,
};

export function teamInstructions(team: TeamPlan): string {
  const parts = [
    MODE_GUIDANCE[team.mode],
    section('team_members', team.members.map((member) => describeMember(member)).join('\n')),
  ];
  if (team.role) parts.push(section('your_role', team.role));
  if (team.instructions.length > 0) parts.push(section('instructions', bulletList(team.instructions)));
  return parts.join('\n\n');
}

export function delegationTool(team: TeamPlan): ToolPlan {
  if (team.mode === 'broadcast') {
    return {
      name: DELEGATE_ALL_TOOL,
      description: 'Give a task to every member of the team at once and get all their answers.',
      parameters: {
        type: 'object',
        properties: { task: { type: 'string', description: 'A clear description of the task.' } },
        required: ['task'],
        additionalProperties: false,
      },
    };
  }
  return {
    name: DELEGATE_TOOL,
    description: 'Give a task to one member of the team and get its answer.',
    parameters: {
      type: 'object',
      properties: {
        member_id: {
          type: 'string',
          enum: team.members.map((member) => member.id),
          description: 'The id of the member to give the task to.',
        },
        task: { type: 'string', description: 'A clear description of the task.' },
      },
      required: ['member_id', 'task'],
      additionalProperties: false,
    },
  };
}
