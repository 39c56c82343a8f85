/**
 * Reading the outputs of many runs for one answer (a run list, a session's runs). Each read is a
 * `state` query that a worker answers, so a few go at once: enough to overlap the round trips,
 * few enough that one listing does not crowd out the workers' other queries.
 */
import type { RunOutputDict } from '../contracts/events.ts';
import type { Engine } from '../engine/engine.ts';

/** Reads in flight at once per listing. */
export const RUN_READS_AT_ONCE = 8;

/** The outputs of these runs, in their order; runs Temporal no longer has (deleted) are left out. */
export async function readRunOutputs(engine: Engine, runIds: readonly string[], atOnce = RUN_READS_AT_ONCE): Promise<RunOutputDict[]> {
  const outputs: (RunOutputDict | undefined)[] = new Array(runIds.length);
  let next = 0;
  const reader = async () => {
    while (next < runIds.length) {
      const index = next++;
      outputs[index] = (await engine.getRun(runIds[index]!))?.toDict();
    }
  };
  await Promise.all(Array.from({ length: Math.min(atOnce, runIds.length) }, reader));
  return outputs.filter((output) => output !== undefined);
}
