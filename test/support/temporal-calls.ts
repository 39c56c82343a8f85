/**
 * What the engine asked Temporal, recorded by a client interceptor (the calls still go to the
 * real server). Which workflows a request started is then known exactly, from Temporal's own
 * answers, where the run list (visibility) would only catch up eventually.
 */
import type { WorkflowClientInterceptor } from '@temporalio/client';

export class TemporalCalls {
  /** Workflow ids of executions Temporal confirmed it started, in order. */
  readonly started: string[] = [];
  /** Workflow queries sent, by query name. */
  readonly queries = new Map<string, number>();
  /** Describes of executions sent (no worker answers them, but each is a round trip to Temporal). */
  describes = 0;

  readonly interceptor: WorkflowClientInterceptor = {
    startWithDetails: async (input, next) => {
      const output = await next(input);
      this.started.push(input.options.workflowId);
      return output;
    },
    signalWithStart: async (input, next) => {
      const runId = await next(input);
      this.started.push(input.options.workflowId);
      return runId;
    },
    describe: (input, next) => {
      this.describes += 1;
      return next(input);
    },
    query: (input, next) => {
      this.queries.set(input.queryType, (this.queries.get(input.queryType) ?? 0) + 1);
      return next(input);
    },
  };

  /** Ids started since `mark` (a length of `started` taken earlier). */
  startedSince(mark: number): string[] {
    return this.started.slice(mark);
  }
}
