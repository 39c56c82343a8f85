/**
 * What the queue's API tests share: an API harness serving a `GatedSteps` workflow (set up and
 * closed by the file's hooks), and starting runs in the background over HTTP.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach } from 'node:test';
import { startApiHarness } from '../../support/api-harness.ts';
import type { ApiHarness } from '../../support/api-harness.ts';
import { postJson } from '../../support/http.ts';
import { waitUntil } from '../../support/wait.ts';
import { GatedSteps } from './gated-steps.ts';

export class QueueApi {
  readonly gated: GatedSteps;
  private harness: ApiHarness | undefined;

  /** Registers the file's hooks: the harness starts before its tests and closes after them. */
  constructor(workflowName?: string) {
    this.gated = new GatedSteps(workflowName);
    before(async () => {
      this.harness = await startApiHarness([this.gated.workflow]);
    });
    after(async () => this.harness?.close());
    beforeEach(() => this.gated.reset());
  }

  get h(): ApiHarness {
    return this.harness!;
  }

  get workflowId(): string {
    return this.gated.workflow.id;
  }

  runUrl(runId: string, base = this.h.api.url): string {
    return `${base}/workflows/${this.workflowId}/runs/${runId}`;
  }

  /** `POST …/runs` in the background, in the session, with more fields (`multitask_strategy`). */
  start(sessionId: string, message: string, extra: Record<string, unknown> = {}, base = this.h.api.url): Promise<Response> {
    return postJson(`${base}/workflows/${this.workflowId}/runs`, { message, session_id: sessionId, stream: false, background: true, ...extra });
  }

  /** A start that must be accepted (202, PENDING): its run id. */
  async started(sessionId: string, message: string, extra: Record<string, unknown> = {}, base = this.h.api.url): Promise<string> {
    const response = await this.start(sessionId, message, extra, base);
    const body = (await response.json()) as { run_id: string; status: string };
    assert.equal(response.status, 202, JSON.stringify(body));
    assert.equal(body.status, 'PENDING');
    return body.run_id;
  }

  /** Resolves once the step of the run whose input is `input` has begun. */
  reached(input: string): Promise<true> {
    return waitUntil(`the step of '${input}' to begin`, () => this.gated.started.includes(input));
  }
}
