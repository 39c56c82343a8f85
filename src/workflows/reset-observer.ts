/**
 * Notices when an operator resets the run (the Web UI's Reset, `temporal workflow reset`).
 *
 * A reset starts a new execution that replays the old one's history up to the reset point and
 * goes on from there. Temporal marks the point in the new history (a workflow task failed with
 * cause RESET_WORKFLOW), and the SDK's answer to that mark is to reseed the workflow's random
 * numbers from the new execution's id before the first activation after it: the only trace of a
 * reset that workflow code can see. It comes from the history, so every replay sees it at the
 * same activation and what the run does about it is deterministic (see reset-log.ts).
 *
 * The SDK applies the new seed before any interceptor runs, so this compares the seed itself
 * from one activation to the next (the SDK's activator is read for it: a pinned SDK version,
 * and the reset tests fail if that ever changes). Loaded as a workflow interceptor module (the
 * bundle's `workflowInterceptorModules`); module state is per workflow execution.
 */
import type { WorkflowInterceptorsFactory } from '@temporalio/workflow';
import { getActivator } from '@temporalio/workflow/lib/global-attributes.js';

let resets = 0;
/** The seed the last activation ran with. */
let seed: string | undefined;

/** How many resets this execution's history has passed so far. */
export function resetsObserved(): number {
  return resets;
}

export const interceptors: WorkflowInterceptorsFactory = () => ({
  internals: [
    {
      activate(input, next) {
        const now = getActivator().randomnessSeed.join(',');
        // The first activation starts the workflow with the seed its start gave it; a reset to
        // the first workflow task has replaced that seed already.
        const start = input.activation.jobs?.find((job) => job.initializeWorkflow)?.initializeWorkflow?.randomnessSeed;
        seed ??= start ? start.toBytes().join(',') : now;
        // Counted before the jobs run, so code resumed by this activation already knows.
        if (now !== seed) {
          resets += 1;
          seed = now;
        }
        next(input);
      },
    },
  ],
});
