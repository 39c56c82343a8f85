/**
 * Reading the outputs of many runs for one answer (a run list, a session's runs). Each read is a
 * `state` query that a worker answers, so a few go at once: enough to overlap the round trips,
 * few enough that one listing does not crowd out the workers' other queries.
 *
 * Each output carries the run's events as AgentOS's lists do, within a budget for the whole
 * answer (see output-events.ts): a list of many runs, or of runs with long logs, stays a few MB.
 */
import type { RunOutputDict } from '../contracts/events.ts';
import type { Engine } from '../engine/engine.ts';
import { RUN_LIST_EVENT_BYTES } from '../engine/output-events.ts';

/** Reads in flight at once per listing. */
export const RUN_READS_AT_ONCE = 8;
/** Bytes of events (as JSON) one list answer carries at most, shared by its runs. */
export const LIST_EVENT_BYTES = 4 * 1024 * 1024;

/**
 * The outputs of these runs, in their order; runs Temporal no longer has (deleted) are left out.
 * `withEvents`: each with its events (within the list's budget), for answers that show them.
 */
export async function readRunOutputs(engine: Engine, runIds: readonly string[], { withEvents = false, atOnce = RUN_READS_AT_ONCE } = {}): Promise<RunOutputDict[]> {
  const outputs: (RunOutputDict | undefined)[] = new Array(runIds.length);
  const eventBytes = withEvents ? Math.min(RUN_LIST_EVENT_BYTES, Math.floor(LIST_EVENT_BYTES / Math.max(1, runIds.length))) : undefined;
  let next = 0;
  const reader = async () => {
    while (next < runIds.length) {
      const index = next++;
      outputs[index] = (await engine.getRun(runIds[index]!, { eventBytes }))?.toDict();
    }
  };
  await Promise.all(Array.from({ length: Math.min(atOnce, runIds.length) }, reader));
  return outputs.filter((output) => output !== undefined);
}
