/** Representative runs whose recorded histories guard workflow-code changes (see record-histories.ts). */
import { ApplicationFailure } from '@temporalio/common';
import { Agent } from '../../src/definitions/agent.ts';
import { OpenAIResponses } from '../../src/definitions/models.ts';
import { Step } from '../../src/definitions/step.ts';
import { Workflow } from '../../src/os/workflow.ts';
import { Condition, Loop, Parallel, Router, Steps } from '../../src/definitions/primitives.ts';
import type { StepInput } from '../../src/definitions/step.ts';
import { Team } from '../../src/definitions/team.ts';
import { defineTool } from '../../src/definitions/tool.ts';
import type { FakeReply, FakeRequest } from '../fakes/openai.ts';

const model = new OpenAIResponses({ id: 'gpt-5.2' });
export const switches = { broken: true };

const lookup = (name: string) =>
  defineTool<{ city: string }>({
    name,
    description: `Looks up ${name}.`,
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
    execute: ({ city }) => `${name} of ${city}: fine`,
  });
const publish = defineTool<{ text: string }>({
  name: 'publish_draft',
  description: 'Publishes.',
  parameters: { type: 'object', properties: { text: { type: 'string' } }, required: ['text'] },
  execute: ({ text }) => {
    if (switches.broken) throw ApplicationFailure.nonRetryable('publishing is broken', 'Broken');
    return `published ${text}`;
  },
});

/** A team whose member calls two tools in parallel. */
export const parallelTeam = new Workflow({
  name: 'Parallel Team',
  steps: [
    new Step({
      name: 'Research',
      team: new Team({ name: 'City Team', members: [new Agent({ name: 'City Agent', model, role: 'Knows cities', tools: [lookup('weather'), lookup('air_quality')] })] }),
    }),
  ],
});
export const slowWriter = new Workflow({ name: 'Slow Writer', steps: [new Step({ name: 'Write', agent: new Agent({ name: 'Slow Agent', model, role: 'Writes slowly' }) })] });
export const retried = new Workflow({
  name: 'Retried',
  steps: [
    new Step({ name: 'Draft', agent: new Agent({ name: 'Draft Agent', model, role: 'Drafts' }) }),
    new Step({ name: 'Publish', agent: new Agent({ name: 'Publish Agent', model, role: 'Publishes', tools: [publish] }) }),
  ],
});

/** Every building block in one run, plus a step that waits for a person and a nested workflow. */
export const primitives = new Workflow({
  name: 'Primitives',
  steps: [
    new Parallel('Gather', new Step({ name: 'Left', executor: () => 'left' }), new Step({ name: 'Right', executor: () => 'right' })),
    new Condition({ name: 'Check', evaluator: (input: StepInput) => input.input.length > 0, steps: [new Step({ name: 'Yes', executor: () => 'yes' })], elseSteps: [new Step({ name: 'No', executor: () => 'no' })] }),
    new Loop({ name: 'Repeat', maxIterations: 3, steps: [new Step({ name: 'Once', executor: (input: StepInput) => `${input.previousStepContent}.` })], endCondition: (outputs) => outputs.at(-1)!.content.endsWith('..') }),
    new Router({ name: 'Route', selector: () => 'Second', choices: [new Step({ name: 'First', executor: () => '1' }), new Step({ name: 'Second', executor: () => '2' })] }),
    new Steps('Sequence', [new Step({ name: 'Inner One', executor: () => 'one' })]),
    new Step({ name: 'Approve', requiresConfirmation: true, executor: () => 'approved' }),
    new Step({ name: 'Child', workflow: new Workflow({ name: 'Child Flow', steps: [new Step({ name: 'Child Step', agent: new Agent({ name: 'Child Agent', model, role: 'A child' }) })] }) }),
  ],
});

/** Hold on failure: the run pauses at the failed step until a retry runs it again in place. */
export const held = new Workflow({
  name: 'Held',
  onFailure: 'hold',
  steps: [
    new Step({ name: 'Draft', agent: new Agent({ name: 'Draft Agent', model, role: 'Drafts' }) }),
    new Step({ name: 'Publish', agent: new Agent({ name: 'Publish Agent', model, role: 'Publishes', tools: [publish] }) }),
  ],
});

/** Nobody answers in time: the human-input timer fires and the step runs as if confirmed. */
export const humanTimeout = new Workflow({
  name: 'Human Timeout',
  steps: [
    new Step({ name: 'Prepare', executor: (input: StepInput) => `prepared ${input.input}` }),
    new Step({ name: 'Confirm', requiresConfirmation: true, humanTimeoutMs: 200, onTimeout: 'approve', executor: (input: StepInput) => `confirmed ${input.previousStepContent}` }),
  ],
});

/** A person's input, validated by its schema, reaches the step and the agent after it. */
export const userInput = new Workflow({
  name: 'User Input',
  steps: [
    new Step({
      name: 'Ask',
      requiresUserInput: true,
      userInputMessage: 'Which city?',
      userInputSchema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
      executor: (input: StepInput) => `city: ${String(input.userInput?.city)}`,
    }),
    new Step({ name: 'Describe', agent: new Agent({ name: 'Describe Agent', model, role: 'Describes' }) }),
  ],
});

const verse = new Agent({ name: 'Verse Agent', model, role: 'Writes verse' });
const reviewer = new Agent({ name: 'Review Agent', model, role: 'Reviews verse' });
export const routeTeam = new Workflow({ name: 'Route Team', steps: [new Step({ name: 'Answer', team: new Team({ name: 'Verse Router', members: [verse, reviewer], mode: 'route' }) })] });
export const broadcastTeam = new Workflow({ name: 'Broadcast Team', steps: [new Step({ name: 'Ask all', team: new Team({ name: 'Verse Panel', members: [verse, reviewer], mode: 'broadcast' }) })] });

export function scenarioReply(req: FakeRequest): FakeReply {
  // Leaders first: their prompts list the members' roles too.
  if (req.system.startsWith('You route requests.')) {
    return req.toolResults.length
      ? { kind: 'text', text: req.toolResults[0]!.output }
      : { kind: 'tool_calls', calls: [{ name: 'delegate_task_to_member', arguments: { member_id: 'verse-agent', task: 'A line on durability' } }] };
  }
  if (req.toolNames.includes('delegate_task_to_members')) {
    return req.toolResults.length
      ? { kind: 'text', text: `Panel: ${req.toolResults[0]!.output}` }
      : { kind: 'tool_calls', calls: [{ name: 'delegate_task_to_members', arguments: { task: 'Judge this line' } }] };
  }
  if (req.system.includes('Writes verse')) return { kind: 'text', text: 'Work survives the crash.' };
  if (req.system.includes('Reviews verse')) return { kind: 'text', text: 'It scans.' };
  if (req.toolNames.includes('delegate_task_to_member')) {
    return req.toolResults.length
      ? { kind: 'text', text: `Team: ${req.toolResults[0]!.output}` }
      : { kind: 'tool_calls', calls: [{ name: 'delegate_task_to_member', arguments: { member_id: 'city-agent', task: 'Oslo today' } }] };
  }
  if (req.system.includes('Knows cities')) {
    return req.toolResults.length
      ? { kind: 'text', text: req.toolResults.map((r) => r.output).join('; ') }
      : { kind: 'tool_calls', calls: [{ name: 'weather', arguments: { city: 'Oslo' } }, { name: 'air_quality', arguments: { city: 'Oslo' } }] };
  }
  if (req.system.includes('Writes slowly')) return { kind: 'text', text: 'slow '.repeat(200), chunkDelayMs: 50 };
  if (req.system.includes('Publishes')) {
    return req.toolResults.length ? { kind: 'text', text: 'posted' } : { kind: 'tool_calls', calls: [{ name: 'publish_draft', arguments: { text: 'draft' } }] };
  }
  return { kind: 'text', text: 'a draft' };
}
