/**
 * A two-step workflow for failure tests: an agent drafts a post, another publishes it with a tool
 * that fails (not retryably) while `publishing.broken` is set, as a bug would until its fix is
 * deployed. The fake model's replies for both agents, and which agent a request is from.
 */
import { ApplicationFailure } from '@temporalio/common';
import { Agent } from '../../src/definitions/agent.ts';
import { OpenAIResponses } from '../../src/definitions/models.ts';
import { Step } from '../../src/definitions/step.ts';
import { defineTool } from '../../src/definitions/tool.ts';
import type { FakeReply, FakeRequest } from '../fakes/openai.ts';

/** Set: the publishing tool fails with "bug 42". */
export const publishing = { broken: true };

const publish = defineTool<{ text: string }>({
  name: 'publish_post',
  description: 'Publishes a post.',
  parameters: { type: 'object', properties: { text: { type: 'string' } }, required: ['text'] },
  execute: ({ text }) => {
    if (publishing.broken) throw ApplicationFailure.nonRetryable('The publishing service rejected the request (bug 42).', 'PublishBug');
    return `published: ${text}`;
  },
});
const model = new OpenAIResponses({ id: 'gpt-5.2' });

/** Draft (an agent), then Publish (an agent with the tool); new instances for each workflow. */
export const publishingSteps = () => [
  new Step({ name: 'Draft', agent: new Agent({ name: 'Drafter', model, role: 'Drafts posts' }) }),
  new Step({ name: 'Publish', agent: new Agent({ name: 'Publisher', model, tools: [publish], role: 'Publishes posts' }) }),
];

export const isDrafter = (req: FakeRequest) => req.system.includes('Drafts posts');
export const isPublisher = (req: FakeRequest) => req.system.includes('Publishes posts');

/** The drafter drafts; the publisher calls the tool, then answers with its result. */
export function publishingReply(req: FakeRequest): FakeReply {
  if (isDrafter(req)) return { kind: 'text', text: 'Draft: durable agents never lose work.' };
  return req.toolResults.length
    ? { kind: 'text', text: `Done: ${req.toolResults[0]!.output}` }
    : { kind: 'tool_calls', calls: [{ name: 'publish_post', arguments: { text: req.lastUserText } }] };
}
