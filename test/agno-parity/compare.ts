/**
 * The comparison of Agno's answers with ours, exchange by exchange (paired by label). Values that
 * differ by nature (ids, timestamps, durations, token counts) are never compared: what is compared
 * is the status code, the JSON key paths and their types, a few values that say how a run went
 * (`status`, `content`), and for streams the event names, their order per emitter (the workflow
 * in each step, each team and agent) and each event's fields.
 */
import type { Exchange, Json } from './wire.ts';

export type DifferenceKind = 'status' | 'exchange' | 'missing' | 'missing-null' | 'extra' | 'type' | 'value' | 'missing-event' | 'extra-event' | 'event-order';

export interface Difference {
  label: string;
  kind: DifferenceKind;
  /** A JSON key path (`step_results[].metrics.duration`), `Event.path` for event fields, the emitter for orders. */
  path: string;
  agno?: string;
  ours?: string;
}

type Shape = Map<string, Set<string>>;

const COMPARED_VALUES = ['status', 'content'];

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

/** Every key path of a JSON value with the types seen there (array items merged under `[]`). */
export function shapeOf(value: unknown, shape: Shape = new Map(), path = ''): Shape {
  const types = shape.get(path) ?? new Set<string>();
  types.add(typeOf(value));
  shape.set(path, types);
  if (Array.isArray(value)) for (const item of value) shapeOf(item, shape, `${path}[]`);
  else if (typeof value === 'object' && value !== null) {
    for (const [key, child] of Object.entries(value)) shapeOf(child, shape, path ? `${path}.${key}` : key);
  }
  return shape;
}

const parentOf = (path: string): string | undefined => {
  const cut = Math.max(path.lastIndexOf('.'), path.endsWith('[]') ? path.length - 2 : -1);
  return cut > 0 ? path.slice(0, cut) : path === '' ? undefined : '';
};

const describe = (types: Set<string> | undefined) => (types ? [...types].sort().join('|') : undefined);

/** Null is how Agno writes "nothing": it matches any type. */
function compatible(a: Set<string>, b: Set<string>): boolean {
  const plain = (s: Set<string>) => [...s].filter((t) => t !== 'null');
  const x = plain(a);
  const y = plain(b);
  return x.length === 0 || y.length === 0 || x.some((t) => y.includes(t));
}

/** Differences of two shapes; a missing (or extra) subtree is reported once, at its top. */
export function compareShapes(label: string, agno: Shape, ours: Shape, prefix = ''): Difference[] {
  const out: Difference[] = [];
  const at = (path: string) => (prefix && path ? `${prefix}.${path}` : prefix || path);
  for (const [path, types] of agno) {
    const mine = ours.get(path);
    if (!mine) {
      const parent = parentOf(path);
      // A key Agno sends only as null is told apart: its clients read an absent key as None too.
      const kind = [...types].every((t) => t === 'null') ? 'missing-null' : 'missing';
      if (parent === undefined || ours.has(parent)) out.push({ label, kind, path: at(path), agno: describe(types) });
    } else if (!compatible(types, mine)) {
      out.push({ label, kind: 'type', path: at(path), agno: describe(types), ours: describe(mine) });
    }
  }
  for (const [path, types] of ours) {
    if (agno.has(path)) continue;
    const parent = parentOf(path);
    if (parent === undefined || agno.has(parent)) out.push({ label, kind: 'extra', path: at(path), ours: describe(types) });
  }
  return out;
}

function compareValues(label: string, agno: unknown, ours: unknown): Difference[] {
  if (typeof agno !== 'object' || agno === null || Array.isArray(agno) || typeof ours !== 'object' || ours === null) return [];
  const out: Difference[] = [];
  for (const key of COMPARED_VALUES) {
    const a = (agno as Json)[key];
    const b = (ours as Json)[key];
    if (typeof a === 'string' && typeof b === 'string' && a !== b) out.push({ label, kind: 'value', path: key, agno: a, ours: b });
  }
  return out;
}

type StreamEvent = { name: string; data: Json };

/** Who emitted an event: the step it belongs to, and the team or agent (or the workflow itself). */
function emitterOf(event: StreamEvent): string {
  const d = event.data;
  const who = (d.agent_name ?? d.team_name ?? 'workflow') as string;
  return `${(d.step_name as string | undefined) ?? '(run)'} › ${who}`;
}

/** Event names in order per emitter, repeats collapsed (content chunks differ in number by design). */
function ordersOf(events: StreamEvent[], keep: (name: string) => boolean): Map<string, string[]> {
  const orders = new Map<string, string[]>();
  for (const event of events) {
    if (!keep(event.name)) continue;
    const order = orders.get(emitterOf(event)) ?? [];
    if (order.at(-1) !== event.name) order.push(event.name);
    orders.set(emitterOf(event), order);
  }
  return orders;
}

export function compareEvents(label: string, agno: StreamEvent[], ours: StreamEvent[]): Difference[] {
  const out: Difference[] = [];
  const agnoNames = new Set(agno.map((e) => e.name));
  const ourNames = new Set(ours.map((e) => e.name));
  for (const name of agnoNames) if (!ourNames.has(name)) out.push({ label, kind: 'missing-event', path: name });
  for (const name of ourNames) if (!agnoNames.has(name)) out.push({ label, kind: 'extra-event', path: name });

  // Orders over the names both send: a name only one side sends is reported above, once.
  const shared = (name: string) => agnoNames.has(name) && ourNames.has(name);
  const agnoOrders = ordersOf(agno, shared);
  const ourOrders = ordersOf(ours, shared);
  for (const emitter of new Set([...agnoOrders.keys(), ...ourOrders.keys()])) {
    const a = (agnoOrders.get(emitter) ?? []).join(' ');
    const b = (ourOrders.get(emitter) ?? []).join(' ');
    if (a !== b) out.push({ label, kind: 'event-order', path: emitter, agno: a || '(none)', ours: b || '(none)' });
  }

  for (const name of agnoNames) {
    if (!ourNames.has(name)) continue;
    const shape = (events: StreamEvent[]) => events.filter((e) => e.name === name).reduce((s, e) => shapeOf(e.data, s), new Map() as Shape);
    out.push(...compareShapes(label, shape(agno), shape(ours), name));
  }
  return out;
}

export function compareExchanges(agno: Exchange[], ours: Exchange[]): Difference[] {
  const out: Difference[] = [];
  for (const a of agno) {
    const b = ours.find((e) => e.label === a.label);
    if (!b) {
      out.push({ label: a.label, kind: 'exchange', path: '', agno: `${a.method} ${a.path} → ${a.status}`, ours: '(not sent)' });
      continue;
    }
    if (a.status !== b.status) out.push({ label: a.label, kind: 'status', path: '', agno: String(a.status), ours: String(b.status) });
    if (a.events || b.events) out.push(...compareEvents(a.label, a.events ?? [], b.events ?? []));
    else {
      out.push(...compareShapes(a.label, shapeOf(a.body ?? null), shapeOf(b.body ?? null)));
      out.push(...compareValues(a.label, a.body, b.body));
    }
  }
  for (const b of ours) {
    if (!agno.some((a) => a.label === b.label)) out.push({ label: b.label, kind: 'exchange', path: '', agno: '(not sent)', ours: `${b.method} ${b.path} → ${b.status}` });
  }
  return out;
}
