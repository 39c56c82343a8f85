/**
 * Reading the outputs of many runs for one answer (a run list, a session's runs). Each read is a
 * `state` query that a worker answers, so a few go at once: enough to overlap the round trips,
 * few enough that one listing does not crowd out the workers' other queries.
 *
 * Each output carries the run's events as AgentOS's lists do, within a budget for the whole
 * answer (see output-events.ts): a list of many runs, or of runs with long logs, stays a few MB.
 * The outputs come in order as they are read (`runOutputs`), so an answer can be sent run by run
 * and hold only the few runs being read, not all of them (runs with big results are tens of MB each).
 */
import type { RunOutputDict } from '../contracts/events.ts';
import { RUN_LIST_EVENT_BYTES } from './output-events.ts';
import type { RunReadOptions } from './read-run.ts';
import type { WorkflowRunOutput } from './run-output.ts';

/** Reads one run (the engine's `getRun`): taken as a function, so this file needs no façade. */
export type ReadRun = (runId: string, options: RunReadOptions) => Promise<WorkflowRunOutput | undefined>;

/** Reads in flight at once per listing. */
export const RUN_READS_AT_ONCE = 8;
/** Bytes of events (as JSON) one list answer carries at most, shared by its runs. */
export const LIST_EVENT_BYTES = 4 * 1024 * 1024;

export interface RunOutputsOptions {
  /** Each output with its events (within the list's budget), for answers that show them. */
  withEvents?: boolean;
  atOnce?: number;
}

/**
 * The outputs of these runs, in their order, each as soon as it and those before it are read;
 * runs Temporal no longer has (deleted) are left out. At most `atOnce` are read ahead.
 */
export async function* runOutputs(getRun: ReadRun, runIds: readonly string[], { withEvents = false, atOnce = RUN_READS_AT_ONCE }: RunOutputsOptions = {}): AsyncGenerator<RunOutputDict> {
  const eventBytes = withEvents ? Math.min(RUN_LIST_EVENT_BYTES, Math.floor(LIST_EVENT_BYTES / Math.max(1, runIds.length))) : undefined;
  const read = (runId: string) => {
    const output = getRun(runId, { eventBytes }).then((run) => run?.toDict());
    // Awaited in turn below; a read read ahead that fails while an earlier one is awaited must
    // not count as unhandled (nor one left behind when the caller stops early).
    output.catch(() => undefined);
    return output;
  };
  const ahead: Promise<RunOutputDict | undefined>[] = [];
  let next = 0;
  while (next < runIds.length || ahead.length > 0) {
    while (next < runIds.length && ahead.length < atOnce) ahead.push(read(runIds[next++]!));
    const output = await ahead.shift()!;
    if (output) yield output;
  }
}

/** The outputs of these runs, in their order, all at once (see `runOutputs`). */
export async function readRunOutputs(getRun: ReadRun, runIds: readonly string[], options: RunOutputsOptions = {}): Promise<RunOutputDict[]> {
  const outputs: RunOutputDict[] = [];
  for await (const output of runOutputs(getRun, runIds, options)) outputs.push(output);
  return outputs;
}
