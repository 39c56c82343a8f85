/** Checks a count a definition is given (turns, iterations): a whole number, at least 1. */
export function positiveInteger(value: number, what: string): number {
  if (!Number.isInteger(value) || value < 1) throw new Error(`${what} must be a positive integer, got ${value}.`);
  return value;
}
