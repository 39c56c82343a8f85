/**
 * Tools: typed functions a model can call. The definition the model sees (name, description,
 * JSON Schema) goes into the plan; the function stays in the worker's registry, found by name.
 */
import type { JsonSchema, ToolPlan } from '../contracts/plan.ts';

export interface ToolContext {
  /** Aborted when the run is cancelled or the tool's timeout passes. */
  signal: AbortSignal;
}

export interface ToolSpec<Args> {
  /** Function name the model calls: letters, digits, `_` and `-`. */
  name: string;
  description: string;
  /** JSON Schema (type object) of the arguments; the same schema validates the model's arguments. */
  parameters: JsonSchema;
  /**
   * Returns the output given to the model (strings as they are, anything else as JSON).
   * A thrown error goes back to the model as text; throw Temporal's `ApplicationFailure` to
   * retry (retryable) or fail the run (non-retryable) instead.
   */
  execute(args: Args, context: ToolContext): unknown;
  /** Upper bound of one call in ms; default 60 s. */
  timeoutMs?: number;
}

export interface Tool<Args = Record<string, unknown>> extends ToolSpec<Args> {
  readonly kind: 'tool';
}

const TOOL_NAME = /^[a-zA-Z0-9_-]{1,64}$/;

export function defineTool<Args = Record<string, unknown>>(spec: ToolSpec<Args>): Tool<Args> {
  if (!TOOL_NAME.test(spec.name)) {
    throw new Error(`Tool name ${JSON.stringify(spec.name)} is invalid: use 1-64 letters, digits, _ or -.`);
  }
  if (spec.parameters.type !== 'object') {
    throw new Error(`Tool ${spec.name}: parameters must be a JSON Schema with type "object".`);
  }
  return { ...spec, kind: 'tool' };
}

/** A named group of tools, like Agno's toolkits. */
export class Toolkit {
  readonly name: string;
  readonly tools: Tool[];

  constructor(name: string, tools: Tool<never>[]) {
    this.name = name;
    this.tools = tools as unknown as Tool[];
  }
}

export type ToolInput = Tool<never> | Toolkit;

/** The tools of a list of tools and toolkits, flattened. */
export function flattenTools(inputs: ToolInput[]): Tool[] {
  return inputs.flatMap((input) => (input instanceof Toolkit ? input.tools : [input as unknown as Tool]));
}

export function toolPlan(tool: Tool): ToolPlan {
  return { name: tool.name, description: tool.description, parameters: tool.parameters };
}
