/**
 * The concurrency cap's slots (MAX_CONCURRENCY, MAX_CONCURRENCY_PER_USER): how many runs hold one,
 * in either database. A run holds a slot while it is RUNNING in the store, or while a queue has
 * reserved one for it (`run_slots`) and not released it, unless the reservation is stale: its
 * run's row is PAUSED, or ended more than `leaseSeconds` ago, or not written `leaseSeconds` after
 * the reservation (a queue terminated by hand never releases). A reservation outlives its run's
 * last record: the row reads ended a moment before the execution closes and the queue releases.
 * The run being reserved for does not count itself: a reservation asked again (a replayed local
 * activity) still fits.
 */
import type { Query, SqlDialect } from './run-queries.ts';
import type { SlotRequest } from './run-store.ts';

export function occupiedSlotsQuery(dialect: SqlDialect, runId: string, nowSeconds: number, leaseSeconds: number, userId?: string): Query {
  const params: unknown[] = [runId, nowSeconds, nowSeconds - leaseSeconds];
  const user = userId !== undefined ? dialect.param(params.push(userId)) : undefined;
  const running = `SELECT run_id FROM runs WHERE status = 'RUNNING' AND run_id <> ${dialect.param(1)}${user ? ` AND user_id = ${user}` : ''}`;
  const reserved =
    `SELECT s.run_id FROM run_slots s LEFT JOIN runs r ON r.run_id = s.run_id WHERE s.run_id <> ${dialect.param(1)}${user ? ` AND s.user_id = ${user}` : ''}` +
    ` AND (r.status IN ('PENDING', 'RUNNING') OR (r.status IN ('COMPLETED', 'ERROR', 'CANCELLED') AND r.updated_at > ${dialect.param(3)})` +
    ` OR (r.run_id IS NULL AND s.lease_until > ${dialect.param(2)}))`;
  return { sql: `SELECT count(*) AS n FROM (${running} UNION ${reserved}) AS occupied`, params };
}

export const RESERVE_SLOT_SQL = (dialect: SqlDialect) =>
  `INSERT INTO run_slots (run_id, user_id, lease_until) VALUES (${dialect.param(1)}, ${dialect.param(2)}, ${dialect.param(3)}) ON CONFLICT (run_id) DO UPDATE SET lease_until = excluded.lease_until`;

/** Whether the request fits under both caps, given how many slots are held (`occupied(undefined)`: the deployment's; `occupied(user)`: the user's). */
export function slotFree(request: SlotRequest, occupied: (userId?: string) => number): boolean {
  const { maxConcurrency, maxConcurrencyPerUser } = request.caps;
  if (maxConcurrency > 0 && occupied() >= maxConcurrency) return false;
  return request.userId === undefined || maxConcurrencyPerUser <= 0 || occupied(request.userId) < maxConcurrencyPerUser;
}

/** PostgreSQL's advisory lock that serialises reservations: "runslots" in ASCII, as a 64-bit integer (the migrations' lock is another). */
export const SLOT_LOCK_KEY = '8247619734618469491';
