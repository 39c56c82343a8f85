/**
 * Activities that run user functions found in the registry: step executors, and the evaluators,
 * selectors and end conditions of Condition, Router and Loop. As activities they may do I/O, and
 * their results are recorded, so a replay never calls them again.
 */
import { ApplicationFailure } from '@temporalio/activity';
import type { Registry } from '../registry/registry.ts';
import type { UserFunction } from '../definitions/node.ts';
import { withHeartbeats } from './heartbeat.ts';
import type { StepInput } from '../definitions/step.ts';
import type { FunctionStepCallInput, StepInputData, StepOutput } from '../contracts/activities.ts';

/** Agno's StepInput, with its helper method (methods do not cross the activity boundary). */
function withHelpers(input: StepInputData): StepInput {
  return { ...input, getStepContent: (name: string) => input.previousStepOutputs[name] };
}

export function createUserFunctions(deps: { registry: Registry }) {
  function find(ref: string): UserFunction {
    const fn = deps.registry.userFunction(ref);
    if (!fn) throw ApplicationFailure.create({ message: `No function ${ref} is registered on this worker.`, type: 'UnknownFunction', nonRetryable: true });
    return fn;
  }
  const call = (ref: string, ...args: unknown[]) => withHeartbeats(async () => (find(ref) as (...a: unknown[]) => unknown)(...args));

  return {
    async runFunctionStep(input: FunctionStepCallInput): Promise<StepOutput> {
      const output = (await call(input.ref, withHelpers(input.stepInput))) as StepOutput | string;
      return typeof output === 'string' ? { content: output } : output;
    },

    async evaluateCondition(input: FunctionStepCallInput): Promise<boolean> {
      return Boolean(await call(input.ref, withHelpers(input.stepInput)));
    },

    /** The names of the choices the selector picked. */
    async selectRoute(input: FunctionStepCallInput & { choices: string[] }): Promise<string[]> {
      const picked = await call(input.ref, withHelpers(input.stepInput));
      const names = (Array.isArray(picked) ? picked : [picked]).map((choice) =>
        typeof choice === 'string' ? choice : String((choice as { name?: unknown } | null)?.name),
      );
      const unknown = names.filter((name) => !input.choices.includes(name));
      if (unknown.length > 0) {
        throw ApplicationFailure.create({
          message: `The router's selector picked ${unknown.join(', ')}, which is not one of its choices (${input.choices.join(', ')}).`,
          type: 'UnknownRouteChoice',
          nonRetryable: true,
        });
      }
      return names;
    },

    async checkEndCondition(input: { ref: string; outputs: StepOutput[] }): Promise<boolean> {
      return Boolean(await call(input.ref, input.outputs));
    },
  };
}
