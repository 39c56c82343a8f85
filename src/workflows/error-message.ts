/** The innermost message of a failure: an activity's application error rather than its wrapper. */
export function errorMessage(err: unknown): string {
  let current: unknown = err;
  while (typeof current === 'object' && current !== null && 'cause' in current && current.cause) {
    current = current.cause;
  }
  return current instanceof Error ? current.message : String(current);
}

/**
 * Agno's `error_type` of a failure, snake_cased: the innermost application failure's type
 * (`ModelResponseFailed` → `model_response_failed`), else the error's class name.
 */
export function errorType(err: unknown): string {
  let current: unknown = err;
  while (typeof current === 'object' && current !== null && 'cause' in current && current.cause) current = current.cause;
  const type = typeof current === 'object' && current !== null && 'type' in current && typeof current.type === 'string' && current.type ? current.type : current instanceof Error ? current.name : 'Error';
  return type.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}
