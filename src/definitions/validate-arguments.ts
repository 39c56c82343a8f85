/**
 * Checks a model's tool arguments against the tool's JSON Schema, so a tool function only ever
 * sees arguments of the shape it declared. Covers the schema keywords tools use: type,
 * properties, required, additionalProperties, enum, items, minimum, maximum.
 * Returns a list of problems, empty when the arguments are valid.
 */
import type { JsonSchema } from '../contracts/plan.ts';

export function validateArguments(schema: JsonSchema, value: unknown): string[] {
  const problems: string[] = [];
  check(schema, value, 'arguments', problems);
  return problems;
}

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function matchesType(expected: string, actual: string): boolean {
  return expected === actual || (expected === 'number' && actual === 'integer');
}

function check(schema: JsonSchema, value: unknown, path: string, problems: string[]): void {
  const actual = typeOf(value);
  const types = schema.type === undefined ? [] : Array.isArray(schema.type) ? (schema.type as string[]) : [String(schema.type)];
  if (types.length > 0 && !types.some((expected) => matchesType(expected, actual))) {
    problems.push(`${path} must be ${types.join(' or ')}, got ${actual}`);
    return;
  }
  if (Array.isArray(schema.enum) && !schema.enum.some((option) => option === value)) {
    problems.push(`${path} must be one of ${schema.enum.map((option) => JSON.stringify(option)).join(', ')}`);
  }
  if (typeof value === 'number') {
    if (typeof schema.minimum === 'number' && value < schema.minimum) problems.push(`${path} must be ≥ ${schema.minimum}`);
    if (typeof schema.maximum === 'number' && value > schema.maximum) problems.push(`${path} must be ≤ ${schema.maximum}`);
  }
  if (actual === 'array' && typeof schema.items === 'object' && schema.items !== null) {
    (value as unknown[]).forEach((item, i) => check(schema.items as JsonSchema, item, `${path}[${i}]`, problems));
  }
  if (actual === 'object') {
    const record = value as Record<string, unknown>;
    const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
    for (const name of (schema.required ?? []) as string[]) {
      if (record[name] === undefined) problems.push(`${path}.${name} is required`);
    }
    for (const [name, item] of Object.entries(record)) {
      const propertySchema = properties[name];
      if (propertySchema) check(propertySchema, item, `${path}.${name}`, problems);
      else if (schema.additionalProperties === false) problems.push(`${path}.${name} is not an accepted argument`);
    }
  }
}
