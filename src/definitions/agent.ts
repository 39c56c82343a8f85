import type { AgentPlan } from '../contracts/plan.ts';
import type { Model } from './models.ts';
import { urlSafeId } from './ids.ts';
import { positiveInteger } from './positive-integer.ts';
import { flattenTools, toolPlan } from './tool.ts';
import type { Tool, ToolInput } from './tool.ts';

export interface AgentOptions {
  name: string;
  model: Model;
  tools?: ToolInput[];
  /** What this agent is for; shown to team leaders choosing a member. */
  role?: string;
  instructions?: string | string[];
  /** Most model calls in one run of this agent; the last one is offered no tools. Default 10. */
  maxTurns?: number;
}

export const DEFAULT_MAX_TURNS = 10;

export class Agent {
  readonly kind = 'agent' as const;
  readonly id: string;
  readonly name: string;
  readonly model: Model;
  readonly tools: Tool[];
  readonly role: string | undefined;
  readonly instructions: string[];
  readonly maxTurns: number;

  constructor(options: AgentOptions) {
    if (!options?.name) throw new Error('An agent needs a name.');
    if (!options.model) throw new Error(`Agent ${options.name} needs a model, e.g. new OpenAIResponses({ id: "gpt-5.2" }).`);
    this.id = urlSafeId(options.name);
    this.name = options.name;
    this.model = options.model;
    this.tools = flattenTools(options.tools ?? []);
    this.role = options.role;
    this.instructions = normaliseInstructions(options.instructions);
    this.maxTurns = positiveInteger(options.maxTurns ?? DEFAULT_MAX_TURNS, `Agent ${options.name}: maxTurns`);
    const seen = new Set<string>();
    for (const tool of this.tools) {
      if (seen.has(tool.name)) throw new Error(`Agent ${this.name} has two tools named ${tool.name}.`);
      seen.add(tool.name);
    }
  }

  /** `scope` makes the model's registry key unique within the workflow. */
  toPlan(scope: string): AgentPlan {
    const plan: AgentPlan = {
      kind: 'agent',
      id: this.id,
      name: this.name,
      instructions: this.instructions,
      model: this.model.toPlan(`${scope}/${this.id}`),
      tools: this.tools.map(toolPlan),
      maxTurns: this.maxTurns,
    };
    if (this.role !== undefined) plan.role = this.role;
    return plan;
  }
}

export function normaliseInstructions(instructions: string | string[] | undefined): string[] {
  if (instructions === undefined) return [];
  return (Array.isArray(instructions) ? instructions : [instructions]).filter((line) => line.trim() !== '');
}
