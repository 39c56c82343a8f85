/**
 * Tools: typed functions a model can call. The definition the model sees (name, description,
 * JSON Schema) goes into the plan; the function stays in the worker's registry, found by name.
 */
import type { JsonSchema, ToolPausePlan, ToolPlan } from '../contracts/plan.ts';
import { positiveInteger } from './positive-integer.ts';

/**
 * Default cap of a tool's output: 1 MiB of UTF-8, about 250,000 tokens of English text, more
 * than most models' context. Not a transport limit: outputs over the claim-check threshold travel
 * beside Temporal's history, so a tool may be allowed far more (`maxOutputBytes`).
 */
export const DEFAULT_MAX_OUTPUT_BYTES = 1024 * 1024;

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
   * retry (retryable) or fail the run (non-retryable) instead. Not needed (never called) with
   * `externalExecution`.
   */
  execute?(args: Args, context: ToolContext): unknown;
  /**
   * A call waits for a person to confirm it before it runs (Agno's `requires_confirmation`); a
   * rejected call is not run, and the model is told it was rejected.
   */
  requiresConfirmation?: boolean;
  /** A call waits for a person to fill in arguments before it runs (Agno's `requires_user_input`). */
  requiresUserInput?: boolean;
  /**
   * With `requiresUserInput`: the arguments only a person gives (Agno's `user_input_fields`), left
   * out of what the model sees; the person may change the model's others too. Default: none left out.
   */
  userInputFields?: string[];
  /**
   * The tool runs outside this worker (Agno's `external_execution`): a call waits for a person to
   * send its result, which the model gets as the tool's output.
   */
  externalExecution?: boolean;
  /** Upper bound of one call in ms; default 60 s. */
  timeoutMs?: number;
  /**
   * Longest output given to the model, in UTF-8 bytes; longer output is cut on a character
   * boundary and ends with a marker such as `[output cut at 1,048,576 of 10,485,760 bytes]`.
   * Size it to the model's context window; default 1 MiB (`DEFAULT_MAX_OUTPUT_BYTES`).
   */
  maxOutputBytes?: number;
}

export interface Tool<Args = Record<string, unknown>> extends ToolSpec<Args> {
  readonly kind: 'tool';
  execute(args: Args, context: ToolContext): unknown;
}

const TOOL_NAME = /^[a-zA-Z0-9_-]{1,64}$/;

export function defineTool<Args = Record<string, unknown>>(spec: ToolSpec<Args>): Tool<Args> {
  if (!TOOL_NAME.test(spec.name)) {
    throw new Error(`Tool name ${JSON.stringify(spec.name)} is invalid: use 1-64 letters, digits, _ or -.`);
  }
  if (spec.parameters.type !== 'object') {
    throw new Error(`Tool ${spec.name}: parameters must be a JSON Schema with type "object".`);
  }
  if (spec.maxOutputBytes !== undefined) positiveInteger(spec.maxOutputBytes, `Tool ${spec.name}: maxOutputBytes`);
  if (!spec.execute && !spec.externalExecution) throw new Error(`Tool ${spec.name}: give execute, or set externalExecution for a tool that runs elsewhere.`);
  const unknown = (spec.userInputFields ?? []).filter((field) => !Object.hasOwn(propertiesOf(spec.parameters), field));
  if (unknown.length > 0) throw new Error(`Tool ${spec.name}: userInputFields ${unknown.join(', ')} are not among its parameters.`);
  if (spec.userInputFields && !spec.requiresUserInput) throw new Error(`Tool ${spec.name}: userInputFields needs requiresUserInput.`);
  // The workflow never calls a tool that runs elsewhere: its person sends the result.
  const execute = spec.execute ?? (() => Promise.reject(new Error(`${spec.name} runs elsewhere: its result comes with the run's continue.`)));
  return { ...spec, execute, kind: 'tool' };
}

export interface ToolkitOptions {
  /** Output cap of the toolkit's tools that set none of their own (see `ToolSpec.maxOutputBytes`). */
  maxOutputBytes?: number;
}

/** A named group of tools, like Agno's toolkits. */
export class Toolkit {
  readonly name: string;
  readonly tools: Tool[];

  constructor(name: string, tools: Tool<never>[], options: ToolkitOptions = {}) {
    this.name = name;
    const cap = options.maxOutputBytes === undefined ? undefined : positiveInteger(options.maxOutputBytes, `Toolkit ${name}: maxOutputBytes`);
    this.tools = (tools as unknown as Tool[]).map((tool) => (cap === undefined || tool.maxOutputBytes !== undefined ? tool : { ...tool, maxOutputBytes: cap }));
  }

  /** The same tools with another output cap, e.g. `new YFinanceTools().withMaxOutputBytes(4_000_000)`. */
  withMaxOutputBytes(maxOutputBytes: number): Toolkit {
    const uncapped = this.tools.map(({ maxOutputBytes: _own, ...tool }) => tool as Tool);
    return new Toolkit(this.name, uncapped as Tool<never>[], { maxOutputBytes });
  }
}

export type ToolInput = Tool<never> | Toolkit;

/** The tools of a list of tools and toolkits, flattened. */
export function flattenTools(inputs: ToolInput[]): Tool[] {
  return inputs.flatMap((input) => (input instanceof Toolkit ? input.tools : [input as unknown as Tool]));
}

export function toolPlan(tool: Tool): ToolPlan {
  const pause = toolPausePlan(tool);
  return { name: tool.name, description: tool.description, parameters: modelParameters(tool), ...(pause ? { pause } : {}) };
}

/** The arguments the model is asked for: all but those only a person gives. */
function modelParameters(tool: Tool): JsonSchema {
  const personal = new Set(tool.requiresUserInput ? (tool.userInputFields ?? []) : []);
  if (personal.size === 0) return tool.parameters;
  const properties = Object.fromEntries(Object.entries(propertiesOf(tool.parameters)).filter(([name]) => !personal.has(name)));
  const required = Array.isArray(tool.parameters.required) ? (tool.parameters.required as string[]).filter((name) => !personal.has(name)) : undefined;
  return { ...tool.parameters, properties, ...(required ? { required } : {}) };
}

function propertiesOf(schema: JsonSchema): Record<string, JsonSchema> {
  return (schema.properties ?? {}) as Record<string, JsonSchema>;
}

/** Python's names of JSON Schema's types, as Agno's `UserInputField.field_type` shows them. */
const PYTHON_TYPES: Record<string, string> = { string: 'str', integer: 'int', number: 'float', boolean: 'bool', array: 'list', object: 'dict' };

function toolPausePlan(tool: Tool): ToolPausePlan | undefined {
  if (!tool.requiresConfirmation && !tool.requiresUserInput && !tool.externalExecution) return undefined;
  // Every argument, as Agno's schema of user input lists them: the model's are filled in when it calls.
  const userInput = tool.requiresUserInput
    ? Object.entries(propertiesOf(tool.parameters)).map(([name, schema]) => ({
        name,
        field_type: PYTHON_TYPES[String(schema.type)] ?? 'str',
        description: typeof schema.description === 'string' ? schema.description : null,
        value: null,
      }))
    : undefined;
  return {
    ...(tool.requiresConfirmation ? { requiresConfirmation: true } : {}),
    ...(userInput ? { userInput } : {}),
    ...(tool.externalExecution ? { externalExecution: true } : {}),
  };
}
