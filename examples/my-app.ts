/**
 * Your own tools and workflows, served like AgentOS: `node examples/my-app.ts`.
 * (Scale-out: run it with the role as argument on many machines: `worker` or `api`.)
 * It imports this repository's sources; in a project of yours, import from 'durable-agents'
 * (`npx durable-agents init my-app` writes a starter project).
 */
import { Agent, AgentOS, defineTool, OpenAIChat, serveUntilSignal, Step, Workflow } from '../src/index.ts';
import type { Role } from '../src/index.ts';

// A tool is a typed function plus the JSON Schema the model sees; the same schema validates the
// model's arguments before the function runs.
const lookupOrder = defineTool<{ order_id: string }>({
  name: 'lookup_order',
  description: 'Look up an order by its id.',
  parameters: {
    type: 'object',
    properties: { order_id: { type: 'string', description: 'The order id, e.g. A-1001.' } },
    required: ['order_id'],
    additionalProperties: false,
  },
  timeoutMs: 10_000,
  async execute({ order_id }) {
    return { order_id, status: 'shipped', eta_days: 2 }; // call your real system here
  },
});

const support = new Agent({
  name: 'Support Agent',
  model: new OpenAIChat({ id: 'gpt-4o-mini' }), // or { id: 'llama3.1', baseURL: 'http://localhost:11434/v1' }
  tools: [lookupOrder],
  instructions: 'Answer customer questions about their orders. Be brief.',
});

const supportWorkflow = new Workflow({
  name: 'Support Workflow',
  steps: [
    new Step({ name: 'Answer', agent: support }),
    new Step({ name: 'Sign', executor: ({ previousStepContent }) => `${previousStepContent}\n\n— Your support team` }),
  ],
});

const role = (process.argv[2] ?? 'all') as Role;
await serveUntilSignal(new AgentOS({ workflows: [supportWorkflow] }), role);
process.exit(0);
