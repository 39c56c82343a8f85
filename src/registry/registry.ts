/**
 * What a worker can run, found by name: tools, per-model settings and function steps of a set of
 * workflow definitions. Plans carry only names; this is where names become code and secrets.
 */
import { Agent } from '../definitions/agent.ts';
import type { Model } from '../definitions/models.ts';
import type { NestedWorkflow, UserFunction } from '../definitions/node.ts';
import { Team } from '../definitions/team.ts';
import type { TeamMember } from '../definitions/team.ts';
import { toolPlan } from '../definitions/tool.ts';
import type { Tool } from '../definitions/tool.ts';

export class Registry {
  private readonly tools = new Map<string, Tool>();
  private readonly models = new Map<string, Model>();
  private readonly functions = new Map<string, UserFunction>();
  private readonly workflows = new Map<string, NestedWorkflow>();

  constructor(workflows: NestedWorkflow[] = []) {
    for (const workflow of workflows) this.addWorkflow(workflow);
  }

  addWorkflow(workflow: NestedWorkflow): void {
    const existing = this.workflows.get(workflow.id);
    if (existing && existing !== workflow) throw new Error(`Two workflows have the id ${workflow.id}; give them distinct names.`);
    this.workflows.set(workflow.id, workflow);
    const into = {
      member: (member: TeamMember, scope: string) => this.addMember(member, scope),
      function: (ref: string, fn: UserFunction) => void this.functions.set(ref, fn),
      workflow: (nested: NestedWorkflow) => this.addWorkflow(nested),
    };
    for (const node of workflow.steps) node.collect(workflow.id, into);
  }

  private addMember(member: TeamMember, scope: string): void {
    const inner = `${scope}/${member.id}`;
    if (member instanceof Agent) {
      this.models.set(inner, member.model);
      for (const tool of member.tools) this.addTool(tool);
    } else if (member instanceof Team) {
      this.models.set(`${inner}#leader`, member.model);
      for (const child of member.members) this.addMember(child, inner);
    }
  }

  private addTool(tool: Tool): void {
    // Plans name tools, so one name must mean one tool. Several instances of a toolkit define
    // the same tools again; the first is kept.
    const existing = this.tools.get(tool.name);
    if (!existing) {
      this.tools.set(tool.name, tool);
    } else if (JSON.stringify(toolPlan(existing)) !== JSON.stringify(toolPlan(tool))) {
      throw new Error(`Two different tools are named ${tool.name}; tool names must be unique on a worker.`);
    }
  }

  tool(name: string): Tool | undefined {
    return this.tools.get(name);
  }

  model(ref: string): Model | undefined {
    return this.models.get(ref);
  }

  /** A user function: a step's executor, or a Condition's, Loop's or Router's function. */
  userFunction(ref: string): UserFunction | undefined {
    return this.functions.get(ref);
  }
}
