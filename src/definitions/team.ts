import type { HistoryPlan, TeamMode, TeamPlan } from '../contracts/plan.ts';
import type { Model } from './models.ts';
import { Agent, DEFAULT_MAX_TURNS, historyPlan, normaliseInstructions } from './agent.ts';
import { urlSafeId } from './ids.ts';
import { positiveInteger } from './positive-integer.ts';

export type TeamMember = Agent | Team;

export interface TeamOptions {
  name: string;
  members: TeamMember[];
  /** The leader's model. Default: the model of the first agent among the members. */
  model?: Model;
  role?: string;
  instructions?: string | string[];
  /**
   * `coordinate` (default): the leader delegates tasks to chosen members and combines answers.
   * `route`: the leader picks one member, whose answer is the team's answer.
   * `broadcast`: the leader gives the task to every member at once and combines their answers.
   */
  mode?: TeamMode;
  /** Most leader model calls in one run of this team. Default 10. */
  maxTurns?: number;
  /** Its own runs (`/teams/{team_id}/runs`) see the session's earlier runs: Agno's `add_history_to_context`. Default false. */
  addHistoryToContext?: boolean;
  /** How many earlier runs, the newest (Agno's `num_history_runs`). Default 3. */
  numHistoryRuns?: number;
}

const MODES: readonly TeamMode[] = ['coordinate', 'route', 'broadcast'];

export class Team {
  readonly kind = 'team' as const;
  readonly id: string;
  readonly name: string;
  readonly members: TeamMember[];
  readonly model: Model;
  readonly role: string | undefined;
  readonly instructions: string[];
  readonly mode: TeamMode;
  readonly maxTurns: number;
  readonly history: HistoryPlan | undefined;

  constructor(options: TeamOptions) {
    if (!options?.name) throw new Error('A team needs a name.');
    if (!options.members?.length) throw new Error(`Team ${options.name} needs at least one member.`);
    const mode = options.mode ?? 'coordinate';
    if (!MODES.includes(mode)) throw new Error(`Team ${options.name}: mode must be one of ${MODES.join(', ')}, got ${mode}.`);
    this.id = urlSafeId(options.name);
    this.name = options.name;
    this.members = options.members;
    const ids = new Set<string>();
    for (const member of this.members) {
      if (ids.has(member.id)) throw new Error(`Team ${this.name} has two members with the id ${member.id}; give them distinct names.`);
      ids.add(member.id);
    }
    const model = options.model ?? firstAgentModel(this.members);
    if (!model) throw new Error(`Team ${this.name} needs a model.`);
    this.model = model;
    this.role = options.role;
    this.instructions = normaliseInstructions(options.instructions);
    this.mode = mode;
    this.maxTurns = positiveInteger(options.maxTurns ?? DEFAULT_MAX_TURNS, `Team ${options.name}: maxTurns`);
    this.history = historyPlan(`Team ${options.name}`, options);
  }

  toPlan(scope: string): TeamPlan {
    const inner = `${scope}/${this.id}`;
    const plan: TeamPlan = {
      kind: 'team',
      id: this.id,
      name: this.name,
      mode: this.mode,
      instructions: this.instructions,
      model: this.model.toPlan(`${inner}#leader`),
      members: this.members.map((member) => member.toPlan(inner)),
      maxTurns: this.maxTurns,
    };
    if (this.role !== undefined) plan.role = this.role;
    if (this.history) plan.history = this.history;
    return plan;
  }
}

function firstAgentModel(members: TeamMember[]): Model | undefined {
  for (const member of members) {
    if (member instanceof Agent) return member.model;
    const nested = firstAgentModel(member.members);
    if (nested) return nested;
  }
  return undefined;
}
