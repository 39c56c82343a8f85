/** The bounds of pages read from a run store: defaults, and caps no caller can pass. */

export const DEFAULT_EVENT_PAGE = 1000;
export const MAX_EVENT_PAGE = 10_000;
/** 4 MiB of event JSON per page by default: a page of a big log stays one modest response. */
export const DEFAULT_EVENT_PAGE_BYTES = 4 * 1024 * 1024;
export const DEFAULT_RUN_PAGE = 100;
export const MAX_RUN_PAGE = 1000;
export const DEFAULT_SESSION_PAGE = 20;
export const MAX_SESSION_PAGE = 1000;

/** `value` as a count between 1 and `max`, `fallback` when absent. */
export function pageSize(value: number | undefined, fallback: number, max: number): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value)) throw new Error(`A page size must be a number, not ${value}.`);
  return Math.max(1, Math.min(Math.floor(value), max));
}
