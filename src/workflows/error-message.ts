/** The innermost message of a failure: an activity's application error rather than its wrapper. */
export function errorMessage(err: unknown): string {
  let current: unknown = err;
  while (typeof current === 'object' && current !== null && 'cause' in current && current.cause) {
    current = current.cause;
  }
  return current instanceof Error ? current.message : String(current);
}
