/**
 * The queries of the runs queue's views (`GET /jobs`, `GET /stats`, the depth bound of starts):
 * one text for both databases, as run-queries.ts. A run waiting to start is a PENDING row;
 * its place in its session's queue is counted from the PENDING rows of its session stored before it.
 */
import type { RunStatus } from '../contracts/events.ts';
import type { Query, SqlDialect } from './run-queries.ts';
import { RUN_COLUMNS, recordOf } from './stored-run.ts';
import type { RunRow } from './stored-run.ts';
import type { QueueCounts, QueueListFilters, QueueListing, RunCountFilters } from './run-store.ts';

function placeholders(dialect: SqlDialect, params: unknown[], values: readonly unknown[]): string {
  return values.map((value) => dialect.param(params.push(value))).join(', ');
}

/** A page of runs with the filters' total and, for waiting ones, their place in their session's queue. */
export function listQueueQuery(dialect: SqlDialect, filters: QueueListFilters): Query {
  const params: unknown[] = [];
  const clauses: string[] = [];
  if (filters.runId !== undefined) clauses.push(`r.run_id = ${placeholders(dialect, params, [filters.runId])}`);
  if (filters.statuses?.length) clauses.push(`r.status IN (${placeholders(dialect, params, filters.statuses)})`);
  if (filters.sessionIds?.length) clauses.push(`r.session_id IN (${placeholders(dialect, params, filters.sessionIds)})`);
  if (filters.userId !== undefined) clauses.push(`r.user_id = ${placeholders(dialect, params, [filters.userId])}`);
  const order = filters.order === 'asc' ? 'ASC' : 'DESC';
  const key = filters.sortBy === 'updated_at' ? 'r.updated_at' : 'r.created_at';
  const sql =
    `SELECT ${RUN_COLUMNS.map((column) => `r.${column}`).join(', ')}, r.seq, count(*) OVER () AS total, ` +
    `CASE WHEN r.status = 'PENDING' THEN (SELECT count(*) FROM runs p WHERE p.session_id = r.session_id AND p.status = 'PENDING' AND (p.created_at, p.seq) < (r.created_at, r.seq)) + 1 END AS queue_position ` +
    `FROM runs r ${clauses.length ? `WHERE ${clauses.join(' AND ')}` : ''} ORDER BY ${key} ${order}, r.seq ${order} ` +
    `LIMIT ${placeholders(dialect, params, [filters.limit])} OFFSET ${placeholders(dialect, params, [filters.offset])}`;
  return { sql, params };
}

export function queueListingOf(rows: RunRow[]): QueueListing {
  return {
    runs: rows.map((row) => ({ ...recordOf(row), ...(row.queue_position !== null && row.queue_position !== undefined ? { queue_position: Number(row.queue_position) } : {}) })),
    total: rows.length > 0 ? Number(rows[0]!.total) : 0,
  };
}

/** Runs by status, with the oldest of each. */
export const QUEUE_COUNTS_QUERY: Query = { sql: 'SELECT status, count(*) AS n, min(created_at) AS oldest FROM runs GROUP BY status', params: [] };

export function queueCountsOf(rows: RunRow[]): QueueCounts {
  const counts: QueueCounts = { counts: {} };
  for (const row of rows) {
    counts.counts[row.status as RunStatus] = Number(row.n);
    if (row.status === 'PENDING') counts.oldestPendingAt = Number(row.oldest);
  }
  return counts;
}

/** Runs of a status (and user), counted up to `atMost` only: the index on status bounds the scan, however many runs the store holds. */
export function countRunsQuery(dialect: SqlDialect, filters: RunCountFilters, atMost: number): Query {
  const params: unknown[] = [filters.status];
  const user = filters.userId !== undefined ? ` AND user_id = ${dialect.param(params.push(filters.userId))}` : '';
  return { sql: `SELECT count(*) AS n FROM (SELECT 1 FROM runs WHERE status = ${dialect.param(1)}${user} LIMIT ${dialect.param(params.push(atMost))}) AS counted`, params };
}
