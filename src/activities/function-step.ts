/**
 * The activity that runs user functions found in the registry: step executors, and the
 * evaluators, selectors and end conditions of Condition, Router and Loop. As an activity a user
 * function may do I/O, and its result is recorded, so a replay never calls it again.
 */
import { ApplicationFailure } from '@temporalio/activity';
import type { Registry } from '../registry/registry.ts';
import type { UserFunction } from '../definitions/node.ts';
import { withHeartbeats } from './heartbeat.ts';
import type { StepInput } from '../definitions/step.ts';
import type { FunctionStepCallInput, StepInputData, StepOutput, UserFunctionCall, UserFunctionResults } from '../contracts/activities.ts';
import type { RunData } from './run-data.ts';

/** Agno's StepInput, with its helper method (methods do not cross the activity boundary). */
function withHelpers(input: StepInputData): StepInput {
  return { ...input, getStepContent: (name: string) => input.previousStepOutputs[name] };
}

export function createUserFunctions(deps: { registry: Registry; data: RunData }) {
  function find(ref: string): UserFunction {
    const fn = deps.registry.userFunction(ref);
    if (!fn) throw ApplicationFailure.create({ message: `No function ${ref} is registered on this worker.`, type: 'UnknownFunction', nonRetryable: true });
    return fn;
  }
  const call = (ref: string, ...args: unknown[]) => withHeartbeats(async () => (find(ref) as (...a: unknown[]) => unknown)(...args));

  /** The step input with the texts it holds by reference read back (not `additionalData`: the caller's own). */
  async function readInput(input: StepInputData): Promise<StepInput> {
    const [text, previous, outputs] = await Promise.all([
      deps.data.expand(input.input),
      input.previousStepContent === undefined ? undefined : deps.data.expand(input.previousStepContent),
      deps.data.expandAll(input.previousStepOutputs),
    ]);
    return withHelpers({ ...input, input: text, previousStepContent: previous, previousStepOutputs: outputs });
  }

  async function runStep(ref: string, input: StepInputData, callArgument: unknown): Promise<StepOutput> {
    const output = (await call(ref, await readInput(input))) as StepOutput | string;
    const result = typeof output === 'string' ? { content: output } : output;
    // A big content is stored here and goes back as a reference: the run carries only that.
    return typeof result.content === 'string' ? { ...result, content: await deps.data.keep(result.content, 'content', callArgument) } : result;
  }

  async function evaluate(ref: string, input: StepInputData): Promise<boolean> {
    return Boolean(await call(ref, await readInput(input)));
  }

  async function select(ref: string, input: StepInputData, choices: string[]): Promise<string[]> {
    const picked = await call(ref, await readInput(input));
    const names = (Array.isArray(picked) ? picked : [picked]).map((choice) =>
      typeof choice === 'string' ? choice : String((choice as { name?: unknown } | null)?.name),
    );
    const unknown = names.filter((name) => !choices.includes(name));
    if (unknown.length > 0) {
      throw ApplicationFailure.create({
        message: `The router's selector picked ${unknown.join(', ')}, which is not one of its choices (${choices.join(', ')}).`,
        type: 'UnknownRouteChoice',
        nonRetryable: true,
      });
    }
    return names;
  }

  async function loopEnds(ref: string, outputs: StepOutput[]): Promise<boolean> {
    return Boolean(await call(ref, await deps.data.expandAll(outputs)));
  }

  return {
    async callUserFunction(input: UserFunctionCall): Promise<UserFunctionResults[UserFunctionCall['use']]> {
      switch (input.use) {
        case 'step':
          return runStep(input.ref, input.stepInput, input);
        case 'condition':
          return evaluate(input.ref, input.stepInput);
        case 'router':
          return select(input.ref, input.stepInput, input.choices);
        case 'loop-end':
          return loopEnds(input.ref, input.outputs);
      }
    },

    // The activity types user functions had before `callUserFunction`. A call a run scheduled
    // under one of them before the upgrade may still wait in the task queue or for a retry, so
    // workers keep answering them.
    runFunctionStep: (input: FunctionStepCallInput): Promise<StepOutput> => runStep(input.ref, input.stepInput, input),
    evaluateCondition: (input: FunctionStepCallInput): Promise<boolean> => evaluate(input.ref, input.stepInput),
    selectRoute: (input: FunctionStepCallInput & { choices: string[] }): Promise<string[]> => select(input.ref, input.stepInput, input.choices),
    checkEndCondition: (input: { ref: string; outputs: StepOutput[] }): Promise<boolean> => loopEnds(input.ref, input.outputs),
  };
}
