/**
 * The cursor of `listRuns`: the position (start time, store order) of the last run of a page,
 * opaque to callers. Paging by position rather than by offset keeps pages whole while runs start.
 */

export interface ListPosition {
  created_at: number;
  seq: number;
}

export function encodeCursor(position: ListPosition): string {
  return Buffer.from(JSON.stringify([position.created_at, position.seq])).toString('base64url');
}

export function decodeCursor(cursor: string): ListPosition {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString());
  } catch {
    value = undefined;
  }
  if (!Array.isArray(value) || value.length !== 2 || !value.every((part) => typeof part === 'number' && Number.isFinite(part))) {
    throw new Error(`Cursor ${JSON.stringify(cursor)} is not one this store gave: pass the cursor of the previous page unchanged.`);
  }
  return { created_at: value[0], seq: value[1] };
}
