/** The function step activity: runs a user's step function found in the registry. */
import { ApplicationFailure } from '@temporalio/activity';
import type { Registry } from '../registry/registry.ts';
import { withHeartbeats } from './heartbeat.ts';
import type { FunctionStepCallInput, StepOutput } from './types.ts';

export function createFunctionStep(deps: { registry: Registry }) {
  return async function runFunctionStep(input: FunctionStepCallInput): Promise<StepOutput> {
    const fn = deps.registry.stepFunction(input.ref);
    if (!fn) {
      throw ApplicationFailure.create({
        message: `No step function ${input.ref} is registered on this worker.`,
        type: 'UnknownStepFunction',
        nonRetryable: true,
      });
    }
    const output = await withHeartbeats(async () => fn(input.stepInput));
    return typeof output === 'string' ? { content: output } : output;
  };
}
