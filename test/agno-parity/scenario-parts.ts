/** What the scenario's parts share: the workflows served, the input, run paths, and session ids of this scenario run. */
import { randomUUID } from 'node:crypto';
import type { Json } from './wire.ts';

export const WORKFLOW = 'content-creation-workflow';
export const REVIEWED_WORKFLOW = 'reviewed-content-creation';
export const INPUT = 'AI trends in 2024';
const ENDED = ['COMPLETED', 'ERROR', 'CANCELLED'];

export const runs = (workflow: string) => `/workflows/${workflow}/runs`;
export const runPath = (workflow: string, runId: string) => `${runs(workflow)}/${encodeURIComponent(runId)}`;
export const ended = (body: Json) => ENDED.includes(String(body.status));

export function runIdOf(body: unknown, what: string): string {
  const id = (body as Json | undefined)?.run_id;
  if (typeof id !== 'string') throw new Error(`${what}: no run_id in ${JSON.stringify(body)?.slice(0, 500)}`);
  return id;
}

/**
 * Session ids (and other names) of this scenario run: fresh each time, as names given to sessions
 * outlive the Temporal dev server of a test (they are kept in the blob store, under the working directory).
 */
let sessionTag = '';
export const newScenarioTag = () => (sessionTag = randomUUID().slice(0, 8));
export const sessionOf = (name: string) => `parity-${name}-${sessionTag}`;
