/**
 * Workflows the stock entry points do not serve, as a user's own app defines them: a step that
 * waits for a person, and an agent whose tool returns 10 MB (over Temporal's 2 MB payload limit,
 * so it goes through the blob store, S3 on the cluster).
 */
import { Agent, defineTool, OpenAIResponses, Step, Workflow } from '../../../../src/index.ts';

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

export const USER_WORKFLOWS = [approval, reportReader];
