/** The workflow of the SSE load test, shared by the test and the API thread it starts. */
import { Agent } from '../../../src/definitions/agent.ts';
import { OpenAIResponses } from '../../../src/definitions/models.ts';
import { Step } from '../../../src/definitions/step.ts';
import { Workflow } from '../../../src/os/workflow.ts';

export const writer = new Workflow({
  name: 'Load Writer',
  steps: [new Step({ name: 'Write', agent: new Agent({ name: 'Load Writer Agent', model: new OpenAIResponses({ id: 'gpt-5.2' }) }) })],
});
