/** What every route handler shares: the engine, the served workflows, live run tails, the API's metrics. */
import type { BlobStore } from '../../data-plane/blob-store.ts';
import type { Engine } from '../../engine/engine.ts';
import type { Runnable } from '../../definitions/runnable.ts';
import type { WorkflowDefinition } from '../../definitions/workflow.ts';
import type { LiveLane } from '../../live/lane.ts';
import type { RunTails } from '../../live/run-tails.ts';
import type { ApiMetrics } from './metrics.ts';
import type { QueueSettings } from '../runs/queue-settings.ts';

export interface ServerDeps {
  engine: Engine;
  /** The served workflow definitions by definition id (`workflow_id` in paths and bodies). */
  workflows: Map<string, WorkflowDefinition>;
  /** The served agents and teams by their runs' workflow id (`agent:<agent_id>`, `team:<team_id>`). */
  runnables: Map<string, Runnable>;
  tails: RunTails;
  /** The live lane the tails follow runs on (its counters are in /health). */
  live: LiveLane;
  heartbeatMs: number;
  /** Links to the Temporal Web UI, when known: `${webUiUrl}/namespaces/${ns}/workflows/${runId}`. */
  webUiUrl?: string;
  namespace: string;
  startedAt: number;
  /** Where routes count what only they know: streams open, runs started (see metrics.ts). */
  metrics: ApiMetrics;
  /** The data plane's blob store (session names and deletions live there; readiness checks it). */
  blobs: BlobStore;
  /** Aborted when the server begins to shut down: streams end with a reconnect hint, readiness says 503. */
  shuttingDown: AbortSignal;
  /** Each readiness check's deadline (ms). */
  readinessTimeoutMs: number;
  /** Largest payload the codec endpoint shows whole (bytes). */
  codecMaxBytes: number;
  /** Longest a run started here may take when its request does not say; 0: no limit. */
  runTimeoutSeconds: number;
  /** How runs started in a busy session are queued, and how many may wait (see runs/queue-settings.ts). */
  queue: QueueSettings;
}

/** Who sent a request, as bearer auth found it (auth.ts). */
export interface Caller {
  /** Set when the caller is bound to a user: every run this caller starts or reads is that user's. */
  userId?: string;
  /** Who the caller is (a token's `sub`, `sa:<name>`), also for an admin, who is bound to no user: runs it starts without a `user_id` are its own. */
  principal?: string;
  /** The scopes a token carries; undefined for a static key (and without auth): no route asks it for scopes. */
  scopes?: readonly string[];
  /** Holds the admin scope: every route, every user's runs. */
  admin?: boolean;
  /** The scope that makes a caller admin here (named in a 403 of an admin's route). */
  adminScope?: string;
}

/**
 * Hono variables set by middleware (`caller`), by the route's authorization (`accessibleWorkflowIds`:
 * a list of workflows filtered to those a token may read) and handlers (`runId`: the run a request
 * started, for its trace span).
 */
export type AppEnv = { Variables: { caller: Caller; runId?: string; accessibleWorkflowIds?: ReadonlySet<string> } };
