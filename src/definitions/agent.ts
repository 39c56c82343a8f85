import type { AgentPlan, HistoryPlan } from '../contracts/plan.ts';
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
  /** Its own runs (`/agents/{agent_id}/runs`) see the session's earlier runs: Agno's `add_history_to_context`. Default false. */
  addHistoryToContext?: boolean;
  /** How many earlier runs, the newest (Agno's `num_history_runs`). Default 3. */
  numHistoryRuns?: number;
}

export const DEFAULT_MAX_TURNS = 10;

/** Agno's default `num_history_runs`. */
export const DEFAULT_HISTORY_RUNS = 3;

/** The history an agent's or team's own runs read, as its plan says it. */
export function historyPlan(owner: string, options: { addHistoryToContext?: boolean; numHistoryRuns?: number }): HistoryPlan | undefined {
  if (!options.addHistoryToContext) return undefined;
  return { runs: positiveInteger(options.numHistoryRuns ?? DEFAULT_HISTORY_RUNS, `${owner}: numHistoryRuns`) };
}

export class Agent {
  readonly kind = 'agent' as const;
  readonly id: string;
  readonly name: string;
  readonly model: Model;
  readonly tools: Tool[];
  readonly role: string | undefined;
  readonly instructions: string[];
  readonly maxTurns: number;
  readonly history: HistoryPlan | undefined;

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
    this.history = historyPlan(`Agent ${options.name}`, options);
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
    if (this.history) plan.history = this.history;
    return plan;
  }
}

export function normaliseInstructions(instructions: string | string[] | undefined): string[] {
  if (instructions === undefined) return [];
  return (Array.isArray(instructions) ? instructions : [instructions]).filter((line) => line.trim() !== '');
}
