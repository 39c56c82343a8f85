/** What every CLI command shares: its usage errors (exit code 2), and how it reaches the API and prints. */
import type { DurableAgentsClient } from '../client/client.ts';
import type { Style } from './markdown.ts';

/** A command line the CLI cannot run: printed with the usage, exit code 2. */
export class UsageError extends Error {}

export function need(value: string | undefined, what: string): string {
  if (!value) throw new UsageError(`missing ${what}`);
  return value;
}

/** A whole number given as an option (`--limit 5`), or undefined when not given. */
export function wholeNumber(value: string | undefined, option: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d{1,15}$/.test(value)) throw new UsageError(`${option} must be a whole number`);
  return Number(value);
}

/** A JSON object given as an option (`--input '{"a": 1}'`), or undefined when not given. */
export function jsonObject(value: string | undefined, option: string): Record<string, unknown> | undefined {
  if (value === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    throw new UsageError(`${option} must be a JSON object`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new UsageError(`${option} must be a JSON object`);
  return parsed as Record<string, unknown>;
}

export interface CommandContext {
  client: DurableAgentsClient;
  print: (line: string) => void;
  style: Style;
  /** `--json`: print the API's answers as they are. */
  json: boolean;
}
