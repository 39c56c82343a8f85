/**
 * A run record as it rides in an activity's input, and so in the run's history: packed, because
 * the log's events repeat themselves. Consecutive events share most of their fields (a content
 * chunk differs from the one before in its text, time and index; it repeats ~600 bytes of ids and
 * names), and a run's end carries the same executor runs and step results in its terminal event
 * and in its state. Packing writes each event as the fields that differ from the event before it,
 * and each big value that occurs twice once. Measured on a content-creation run: its 98 events
 * are 88.6 KB as JSON, 41.9 KB as changes (docs/adr/0012-run-store-writes.md).
 *
 * Pure and deterministic: the workflow packs (replays pack the same bytes), the worker unpacks.
 * `unpackRunRecord(packRunRecord(r))` equals `r` as JSON carries it (fields set to `undefined`
 * are absent, as Temporal's JSON payloads drop them).
 */
import type { RunEvent, RunState } from './events.ts';
import type { RunRecordBatch } from './run-record.ts';

/** An object as the fields that differ from another one. */
export interface PackedFields {
  /** Fields whose values differ (or are new), inline. */
  set?: Record<string, unknown>;
  /** Fields whose values are `shared[n]`. */
  same?: Record<string, number>;
  /** Fields the other object has and this one lacks. */
  drop?: string[];
  /** The object's field names in order, when unpacking would not give that order by itself. */
  keys?: string[];
  /** An event's `event_index`, when it is not the one after the event before it. */
  at?: number;
}

export interface PackedRunRecord extends Omit<RunRecordBatch, 'events' | 'state'> {
  /** `event_index` of the first event; the others follow it one by one (but where they say `at`). */
  first_index: number;
  /** Each event as its changes from the one before (the first from nothing), `event_index` left out. */
  events: PackedFields[];
  /** The state, from nothing (its big values may be shared with the events). */
  state?: PackedFields;
  /** Big values that occur more than once in the record, each written once. */
  shared?: unknown[];
}

/** The field of an activity's input that carries a record. */
export interface RecordCarrier {
  record?: PackedRunRecord;
}

/** Smaller values are written where they occur: a reference to them would save next to nothing. */
const SHARED_MIN_CHARS = 256;

type Fields = Record<string, unknown>;

export function packRunRecord(record: RunRecordBatch): PackedRunRecord {
  const { events, state, ...rest } = record;
  const objects: Fields[] = [...events.map(withoutIndex), ...(state ? [state as unknown as Fields] : [])];
  const shared = new SharedValues(objects);
  const packed: PackedRunRecord = { ...rest, first_index: events[0]!.event_index, events: [] };
  let before: Fields = {};
  events.forEach((event, i) => {
    const fields = changes(before, objects[i]!, shared);
    if (i > 0 && event.event_index !== events[i - 1]!.event_index + 1) fields.at = event.event_index;
    keepOrder(fields, { ...applied(before, fields, []), event_index: 0 }, event as unknown as Fields);
    packed.events.push(fields);
    before = objects[i]!;
  });
  if (state) {
    packed.state = changes({}, state as unknown as Fields, shared);
    keepOrder(packed.state, applied({}, packed.state, []), state as unknown as Fields);
  }
  if (shared.values.length > 0) packed.shared = shared.values;
  return packed;
}

export function unpackRunRecord(packed: PackedRunRecord): RunRecordBatch {
  const { first_index, events, state, shared = [], ...rest } = packed;
  const record: RunRecordBatch = { ...rest, events: [] };
  let before: Fields = {};
  let index = first_index - 1;
  events.forEach((fields) => {
    index = fields.at ?? index + 1;
    const event = ordered({ ...applied(before, fields, shared), event_index: index }, fields.keys);
    record.events.push(event as unknown as RunEvent);
    // The next event's changes are from this one as packing saw it: in its order, without its index.
    before = withoutIndex(event as unknown as RunEvent);
  });
  if (state) record.state = ordered(applied({}, state, shared), state.keys) as unknown as RunState;
  return record;
}

function withoutIndex(event: RunEvent): Fields {
  const { event_index: _index, ...fields } = event as RunEvent & Fields;
  return fields;
}

/** The big values that occur more than once among the objects' fields, keyed by their JSON. */
class SharedValues {
  readonly values: unknown[] = [];
  private readonly slots = new Map<string, number>();
  private readonly repeated = new Set<string>();

  constructor(objects: Fields[]) {
    const seen = new Set<string>();
    for (const object of objects) {
      for (const value of Object.values(object)) {
        const json = bigJson(value);
        if (json === undefined) continue;
        if (seen.has(json)) this.repeated.add(json);
        seen.add(json);
      }
    }
  }

  /** The slot of a repeated big value (given its JSON), or undefined for any other. */
  slotOf(value: unknown, json: string): number | undefined {
    if (json.length < SHARED_MIN_CHARS || !this.repeated.has(json)) return undefined;
    let slot = this.slots.get(json);
    if (slot === undefined) {
      slot = this.values.push(value) - 1;
      this.slots.set(json, slot);
    }
    return slot;
  }
}

function bigJson(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const json = JSON.stringify(value);
  return json.length >= SHARED_MIN_CHARS ? json : undefined;
}

function changes(before: Fields, after: Fields, shared: SharedValues): PackedFields {
  const packed: PackedFields = {};
  for (const [name, value] of Object.entries(after)) {
    if (value === undefined) continue;
    const json = JSON.stringify(value);
    if (name in before && before[name] !== undefined && JSON.stringify(before[name]) === json) continue;
    const slot = shared.slotOf(value, json);
    if (slot === undefined) (packed.set ??= {})[name] = value;
    else (packed.same ??= {})[name] = slot;
  }
  for (const name of Object.keys(before)) if (before[name] !== undefined && (!(name in after) || after[name] === undefined)) (packed.drop ??= []).push(name);
  return packed;
}

function applied(before: Fields, packed: PackedFields, shared: unknown[]): Fields {
  const after: Fields = { ...before };
  for (const name of packed.drop ?? []) delete after[name];
  Object.assign(after, packed.set);
  for (const [name, slot] of Object.entries(packed.same ?? {})) after[name] = shared[slot];
  return after;
}

/** Names the field order when the unpacked object would have another (a field changed place, or one moved to the end). */
function keepOrder(packed: PackedFields, unpacked: Fields, original: Fields): void {
  const names = Object.keys(original).filter((name) => original[name] !== undefined);
  const given = Object.keys(unpacked);
  if (names.length !== given.length || names.some((name, i) => name !== given[i])) packed.keys = names;
}

function ordered(object: Fields, keys: string[] | undefined): Fields {
  if (!keys) return object;
  return Object.fromEntries(keys.map((name) => [name, object[name]]));
}
