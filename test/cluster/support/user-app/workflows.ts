/**
 * Workflows the stock entry points do not serve, as a user's own app defines them: a step that
 * waits for a person, an agent whose tool returns 10 MB (over Temporal's 2 MB payload limit, so
 * it goes through the blob store, S3 on the cluster), and a Loop whose iterations grow the
 * history enough that the run continues as new, more than once.
 */
import { Agent, defineTool, Loop, OpenAIResponses, Step, Workflow } from '../../../../src/index.ts';

export const MB = 1024 * 1024;
/** The tool's output: exactly 10 MB of ASCII. */
export const REPORT = 'report:'.padEnd(10 * MB, 'abcdefghijklmnopqrstuvwxyz0123456789 ');
export const REPORT_ANSWER = 'Read all ten megabytes.';

export const approval = new Workflow({
  name: 'Cluster Approval',
  steps: [
    new Step({ name: 'Draft', executor: (input) => `draft: ${String(input.input)}` }),
    new Step({ name: 'Publish', requiresConfirmation: true, executor: (input) => `published ${String(input.input)}` }),
  ],
});

const bigReport = defineTool({
  name: 'big_report',
  description: 'The full report, 10 MB.',
  parameters: { type: 'object', properties: {} },
  execute: () => REPORT,
  maxOutputBytes: 16 * MB,
});

export const reportReader = new Workflow({
  name: 'Report Reader',
  steps: [new Step({ name: 'Read', agent: new Agent({ name: 'Reader', model: new OpenAIResponses({ id: 'gpt-5.2' }), tools: [bigReport] }) })],
});

/**
 * Iterations of the chain. Each step's content is just under the 4 KB from which texts are kept
 * by reference (src/data-plane/run-texts.ts), so it stays in the history (the step's result, the
 * next step's input), which passes the 1.5 MB an execution keeps (src/workflows/continue-as-new.ts)
 * every hundred-odd iterations.
 */
export const LINKS = 250;
const link = new Step({
  name: 'Link',
  executor: (input) => {
    const previous = Number(/^link (\d+)/.exec(input.previousStepContent ?? '')?.[1] ?? 0);
    return `link ${previous + 1} `.padEnd(4000, '.');
  },
});
export const chain = new Workflow({ name: 'Cluster Chain', steps: [new Loop({ name: 'Links', maxIterations: LINKS, steps: [link] })] });

export const USER_WORKFLOWS = [approval, reportReader, chain];
