/**
 * A user's own app in a project that depends on the package: its own tool, an agent, a function
 * step, served by AgentOS; and the fake model's script for it.
 */
import { freePort, startDevServer } from '../../../src/dev-server/temporal-cli.ts';
import { startFakeOpenAI } from '../../fakes/openai.ts';
import type { FakeOpenAI, FakeReply, FakeRequest } from '../../fakes/openai.ts';
import { killProcess, startProcess } from '../../support/processes.ts';
import type { Teardown } from '../../support/teardown.ts';
import { userEnv } from './packed-package.ts';

export const ORDER_WORKFLOW_ID = 'order-help';
export const ORDER_ANSWER = 'Order A-1001 has shipped and arrives in 2 days.';
export const SIGNATURE = ' -- Your support team';

export const ORDER_APP = `import { Agent, AgentOS, defineTool, OpenAIChat, serveUntilSignal, Step, Workflow } from 'durable-agents';

const lookupOrder = defineTool<{ order_id: string }>({
  name: 'lookup_order',
  description: 'Look up an order by its id.',
  parameters: { type: 'object', properties: { order_id: { type: 'string' } }, required: ['order_id'], additionalProperties: false },
  async execute({ order_id }) {
    return { order_id, status: 'shipped', eta_days: 2 };
  },
});

const support = new Agent({ name: 'Support Agent', model: new OpenAIChat({ id: 'gpt-4o-mini' }), tools: [lookupOrder], instructions: 'Answer order questions.' });

const orderHelp = new Workflow({
  name: 'Order Help',
  steps: [
    new Step({ name: 'Answer', agent: support }),
    new Step({ name: 'Sign', executor: ({ previousStepContent }) => \`\${previousStepContent}${SIGNATURE}\` }),
  ],
});

await serveUntilSignal(new AgentOS({ workflows: [orderHelp] }));
process.exit(0);
`;

/** The model: asks for the order, then answers (in chunks, so that deltas stream) with what the tool returned. */
export function orderReply(request: FakeRequest): FakeReply {
  if (request.toolResults.length === 0) return { kind: 'tool_calls', calls: [{ name: 'lookup_order', arguments: { order_id: 'A-1001' } }] };
  return { kind: 'text', text: ORDER_ANSWER, chunks: ORDER_ANSWER.match(/.{1,8}/g)!, chunkDelayMs: 20 };
}

export interface RunningApp {
  apiUrl: string;
  openai: FakeOpenAI;
  /** The environment it runs in (for the CLI against it). */
  env: NodeJS.ProcessEnv;
  /** From spawning it to its API answering (connection to Temporal, worker, API). */
  readyMs: number;
}

/**
 * `node app.ts` in the project, against a Temporal dev server and the fake OpenAI started here;
 * everything is stopped by `teardown` (the app with a Ctrl-C to its process group).
 */
export async function startOrderApp(teardown: Teardown, projectDir: string, extraEnv: NodeJS.ProcessEnv = {}): Promise<RunningApp> {
  const [temporal, openai] = await teardown.startAll([
    teardown.start('the Temporal dev server', startDevServer(), (server) => server.stop()),
    teardown.start('the fake OpenAI', startFakeOpenAI(), (fake) => fake.close()),
  ] as const);
  openai.setHandler(orderReply);
  const port = await freePort();
  const env = userEnv({
    TEMPORAL_ADDRESS: temporal.address,
    TEMPORAL_TASK_QUEUE: 'package-project',
    PORT: String(port),
    HOST: '127.0.0.1',
    OPENAI_API_KEY: 'sk-test',
    OPENAI_BASE_URL: openai.url,
    ...extraEnv,
  });
  const started = Date.now();
  const app = await startProcess({ args: ['app.ts'], cwd: projectDir, env, detached: true, ready: /^workflows:/m, readyTimeoutMs: 90_000 });
  teardown.add('the project app', () => killProcess(app.child, 'SIGINT', 20_000));
  return { apiUrl: `http://127.0.0.1:${port}`, openai, env, readyMs: Date.now() - started };
}
