/** A run seen as a queue job (AgentOS's job statuses): a plain list, for the wire schemas and the CLI alike (which loads no schema library). */
export const JOB_STATUSES = ['queued', 'running', 'completed', 'failed', 'cancelled', 'paused'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];
