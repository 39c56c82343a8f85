/**
 * A tool call as agents' and teams' events and runs show it: its own file, since both the events
 * (executor-events.ts) and the runs (executor-runs.ts) carry it.
 */

/** A tool call as Agno's `ToolExecution.to_dict()` shows it (Agno's null fields are left out). */
export interface ToolExecution {
  tool_call_id: string;
  tool_name: string;
  tool_args: Record<string, unknown>;
  tool_call_error?: boolean;
  result?: string;
  /** Unix seconds (with fractions) around the call, as the workflow saw them; set once it ended. */
  metrics?: { start_time: number; end_time: number; duration: number };
  /** The member's run, on a team's delegation to one member. */
  child_run_id?: string;
  /** Absent on events recorded before it was sent. */
  stop_after_tool_call?: boolean;
  created_at: number;
}
