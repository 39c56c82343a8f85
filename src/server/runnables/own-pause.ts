/**
 * Where an agent's or team's own run waits for a person at tool calls: its own `RunPaused` or
 * `TeamRunPaused`, not a member's (a member's pause comes first, inside its team's).
 */
export function isOwnPause(event: { event: string; parent_run_id?: unknown }): boolean {
  return (event.event === 'RunPaused' || event.event === 'TeamRunPaused') && event.parent_run_id === undefined;
}
