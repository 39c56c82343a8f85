/**
 * The workflows of the big-read benchmark, shared by its worker (in the benchmark process) and its
 * API child (./api.ts): an agent whose model writes a long reply, and a function step that
 * returns a long text.
 */
import { Agent } from '../../src/definitions/agent.ts';
import { OpenAIResponses } from '../../src/definitions/models.ts';
import { Step } from '../../src/definitions/step.ts';
import { Workflow } from '../../src/os/workflow.ts';

export const MB = 1024 * 1024;
/** Bytes of the function step's result. */
export const STEP_RESULT_BYTES = 20 * MB;

/** ASCII text of exactly `bytes` bytes, beginning with `seed` (so no two runs share a text). */
export const textOf = (bytes: number, seed: string) => `${seed}:`.padEnd(bytes, 'abcdefghij klmnopqrstuvwxyz 0123456789 ');

export const bigReplyWorkflow = new Workflow({
  name: 'Big Reply',
  steps: [new Step({ name: 'Write', agent: new Agent({ name: 'Writer', model: new OpenAIResponses({ id: 'gpt-5.2' }) }) })],
});

export const bigStepWorkflow = new Workflow({
  name: 'Big Step Result',
  steps: [new Step({ name: 'Produce', executor: (input) => textOf(STEP_RESULT_BYTES, input.input) })],
});

export const bigReadWorkflows = [bigReplyWorkflow, bigStepWorkflow];
