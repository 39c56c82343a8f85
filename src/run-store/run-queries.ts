/**
 * The listing queries, one text for both databases: they differ here only in how parameters are
 * numbered and how a substring is found, which a dialect says.
 */
import { decodeCursor, encodeCursor } from './list-cursor.ts';
import { DEFAULT_RUN_PAGE, DEFAULT_SESSION_PAGE, MAX_RUN_PAGE, MAX_SESSION_PAGE, pageSize } from './page-limits.ts';
import type { RunList, RunListFilters, SessionListFilters, SessionListing } from './run-store.ts';
import { RUN_COLUMNS, SUMMARY_COLUMNS, summaryOf } from './stored-run.ts';
import type { RunRow } from './stored-run.ts';
import { addTokenTotals, emptyTokenTotals } from '../contracts/token-totals.ts';

export interface SqlDialect {
  /** The n-th parameter (from 1): `?1` in SQLite, `$1` in PostgreSQL. */
  param(n: number): string;
  /** Whether `needle` occurs in `haystack` (both SQL expressions), ignoring case. */
  containsIgnoringCase(haystack: string, needle: string): string;
}

export interface Query {
  sql: string;
  params: unknown[];
}

/** Collects parameter values and hands out their placeholders. */
class Params {
  readonly values: unknown[] = [];
  private readonly dialect: SqlDialect;
  constructor(dialect: SqlDialect) {
    this.dialect = dialect;
  }
  add(value: unknown): string {
    this.values.push(value);
    return this.dialect.param(this.values.length);
  }
}

/** `putRun`'s upsert: the stored row stays when it is newer (by last event, then revision). */
export function upsertRunQuery(dialect: SqlDialect, values: unknown[]): Query {
  const placeholders = values.map((_, i) => dialect.param(i + 1)).join(', ');
  const updates = RUN_COLUMNS.filter((column) => column !== 'run_id').map((column) => `${column} = excluded.${column}`).join(', ');
  return {
    sql:
      `INSERT INTO runs (${RUN_COLUMNS.join(', ')}) VALUES (${placeholders}) ` +
      `ON CONFLICT (run_id) DO UPDATE SET ${updates} ` +
      `WHERE (excluded.last_event_index, excluded.revision) >= (runs.last_event_index, runs.revision)`,
    params: values,
  };
}

function runClauses(params: Params, filters: Pick<RunListFilters, 'workflowId' | 'sessionId' | 'userId' | 'status'>): string[] {
  const clauses: string[] = [];
  if (filters.workflowId !== undefined) clauses.push(`workflow_id = ${params.add(filters.workflowId)}`);
  if (filters.sessionId !== undefined) clauses.push(`session_id = ${params.add(filters.sessionId)}`);
  if (filters.userId !== undefined) clauses.push(`user_id = ${params.add(filters.userId)}`);
  if (filters.status !== undefined) clauses.push(`status = ${params.add(filters.status)}`);
  return clauses;
}

const where = (clauses: string[]) => (clauses.length ? `WHERE ${clauses.join(' AND ')}` : '');

/** Newest first; one row more than the page, to know whether another page follows. */
export function listRunsQuery(dialect: SqlDialect, filters: RunListFilters): Query & { limit: number } {
  const params = new Params(dialect);
  const limit = pageSize(filters.limit, DEFAULT_RUN_PAGE, MAX_RUN_PAGE);
  const clauses = runClauses(params, filters);
  if (filters.cursor !== undefined) {
    const position = decodeCursor(filters.cursor);
    clauses.push(`(created_at, seq) < (${params.add(position.created_at)}, ${params.add(position.seq)})`);
  }
  const sql = `SELECT ${SUMMARY_COLUMNS} FROM runs ${where(clauses)} ORDER BY created_at DESC, seq DESC LIMIT ${params.add(limit + 1)}`;
  return { sql, params: params.values, limit };
}

export function runListOf(rows: RunRow[], limit: number): RunList {
  const page = rows.slice(0, limit);
  const list: RunList = { runs: page.map(summaryOf) };
  const last = page.at(-1);
  if (rows.length > limit && last) list.cursor = encodeCursor({ created_at: Number(last.created_at), seq: Number(last.seq) });
  return list;
}

/**
 * Sessions of the runs that match, as the sessions API lists them: grouped by session id, named
 * and attributed by their first run (whose user's given name applies), with `total` the count
 * of every matching session. `count`: that total alone (for a page past the end, which has no row to carry it).
 */
export function listSessionsQuery(dialect: SqlDialect, filters: SessionListFilters, what: 'page' | 'count' = 'page'): Query {
  const params = new Params(dialect);
  const clauses = ["session_id <> ''", ...runClauses(params, filters)];
  const named = filters.nameContains !== undefined ? `WHERE ${dialect.containsIgnoringCase('coalesce(session_name, first_input)', params.add(filters.nameContains))}` : '';
  const order = filters.sortOrder === 'asc' ? 'ASC' : 'DESC';
  const key = filters.sortBy === 'updated_at' ? 'updated_at' : 'created_at';
  const limit = pageSize(filters.limit, DEFAULT_SESSION_PAGE, MAX_SESSION_PAGE);
  const offset = Math.max(0, Math.floor(filters.offset ?? 0));
  const sql = `
    WITH r AS (SELECT seq, session_id, workflow_id, workflow_name, user_id, input, created_at FROM runs ${where(clauses)}),
    g AS (SELECT session_id, count(*) AS run_count, min(created_at) AS created_at, max(created_at) AS updated_at FROM r GROUP BY session_id),
    f AS (SELECT session_id, workflow_id, workflow_name, user_id, input, row_number() OVER (PARTITION BY session_id ORDER BY created_at, seq) AS rn FROM r),
    s AS (
      SELECT g.session_id, g.run_count, g.created_at, g.updated_at, f.workflow_id, f.workflow_name, f.user_id, f.input AS first_input, n.name AS session_name
      FROM g JOIN f ON f.session_id = g.session_id AND f.rn = 1
      LEFT JOIN session_names n ON n.session_id = g.session_id AND n.user_key = coalesce(f.user_id, '')
    )
    ${what === 'count' ? `SELECT count(*) AS total FROM s ${named}` : `SELECT s.*, count(*) OVER () AS total FROM s ${named} ORDER BY ${key} ${order}, session_id ${order} LIMIT ${params.add(limit)} OFFSET ${params.add(offset)}`}`;
  return { sql, params: params.values };
}

/** The tokens of the listed sessions' runs in the same view (same user and workflow filters). */
export function sessionTokensQuery(dialect: SqlDialect, filters: SessionListFilters, sessionIds: readonly string[]): Query {
  const params = new Params(dialect);
  const clauses = [...runClauses(params, { ...filters, sessionId: undefined }), 'tokens IS NOT NULL'];
  clauses.push(`session_id IN (${sessionIds.map((id) => params.add(id)).join(', ')})`);
  // In the order the runs started: each model's entry comes where the session first used it.
  return { sql: `SELECT session_id, tokens FROM runs ${where(clauses)} ORDER BY created_at, seq`, params: params.values };
}

/** Listings from the rows of both queries. */
export function sessionListingsOf(rows: RunRow[], tokenRows: RunRow[]): SessionListing[] {
  const tokens = new Map(rows.map((row) => [String(row.session_id), emptyTokenTotals()]));
  for (const row of tokenRows) addTokenTotals(tokens.get(String(row.session_id))!, JSON.parse(String(row.tokens)));
  return rows.map((row) => {
    const listing: SessionListing = {
      session_id: String(row.session_id),
      workflow_id: String(row.workflow_id),
      workflow_name: String(row.workflow_name),
      first_input: String(row.first_input),
      run_count: Number(row.run_count),
      created_at: Number(row.created_at),
      updated_at: Number(row.updated_at),
      tokens: tokens.get(String(row.session_id))!,
    };
    if (row.user_id !== null && row.user_id !== undefined) listing.user_id = String(row.user_id);
    if (row.session_name !== null && row.session_name !== undefined) listing.session_name = String(row.session_name);
    return listing;
  });
}
