/**
 * Texts kept by reference. A text too big to travel through Temporal (a tool's output, a model's
 * reply, a step's content) is stored in the blob store by the activity that produced it, and the
 * run carries a short reference in its place: a string, so it goes wherever the text would go
 * (a step's content, a conversation message, an event field), survives concatenation, and can be
 * cut like the text it stands for (its length is part of it).
 *
 *   \u0000blob:<UTF-8 bytes>:<length>:<blob key>[@<start>-<end>]\u0000
 *
 * `length` is the stored text's length in UTF-16 units (JavaScript's `length`); `@start-end`
 * names a part of it. Readers (the model activity, user function activities, the engine's event
 * and run readers) replace each reference with the text it names before anyone sees it.
 *
 * Pure functions only: workflow code measures and cuts texts with them. A text from outside (a
 * model, a tool, a user) that happens to contain the marker is always stored, never kept inline,
 * so every reference a run carries was made by our own code.
 */

const OPEN = '\u0000blob:';
const CLOSE = '\u0000';
const REFERENCE = /\u0000blob:(\d+):(\d+):([A-Za-z0-9_.%/-]+?)(?:@(\d+)-(\d+))?\u0000/g;

export interface TextReference {
  key: string;
  /** Size of the whole stored text in UTF-8 bytes. */
  bytes: number;
  /** Length of the whole stored text (UTF-16 units). */
  length: number;
  /** The part of the stored text this reference stands for: characters `start` to `end` (excluded). */
  start: number;
  end: number;
}

/** The reference to the text stored under `key` (or to its part `start`..`end`). */
export function textReference(ref: { key: string; bytes: number; length: number; start?: number; end?: number }): string {
  const start = ref.start ?? 0;
  const end = ref.end ?? ref.length;
  const part = start === 0 && end === ref.length ? '' : `@${start}-${end}`;
  return `${OPEN}${ref.bytes}:${ref.length}:${ref.key}${part}${CLOSE}`;
}

/** Whether the text holds references (or, from outside, anything that looks like one). */
export function hasTextReferences(text: string): boolean {
  return text.includes(OPEN);
}

/** The text in parts: plain strings and references, in order. */
export function textParts(text: string): (string | TextReference)[] {
  if (!hasTextReferences(text)) return text ? [text] : [];
  const parts: (string | TextReference)[] = [];
  let at = 0;
  for (const match of text.matchAll(REFERENCE)) {
    if (match.index > at) parts.push(text.slice(at, match.index));
    const length = Number(match[2]);
    parts.push({ bytes: Number(match[1]), length, key: match[3]!, start: Number(match[4] ?? 0), end: Number(match[5] ?? length) });
    at = match.index + match[0].length;
  }
  if (at < text.length) parts.push(text.slice(at));
  return parts;
}

function partLength(part: string | TextReference): number {
  return typeof part === 'string' ? part.length : part.end - part.start;
}

/** The length of the text a reader sees once references are replaced. */
export function textLength(text: string): number {
  if (!hasTextReferences(text)) return text.length;
  return textParts(text).reduce((sum, part) => sum + partLength(part), 0);
}

/** Characters `start` to `end` of the text a reader sees, references kept as references (to the part). */
export function sliceText(text: string, start: number, end?: number): string {
  if (!hasTextReferences(text)) return text.slice(start, end);
  const total = textLength(text);
  const from = Math.max(0, Math.min(total, start));
  const to = Math.max(from, Math.min(total, end ?? total));
  let out = '';
  let at = 0;
  for (const part of textParts(text)) {
    const length = partLength(part);
    const a = Math.max(from, at) - at;
    const b = Math.min(to, at + length) - at;
    if (b > a) out += typeof part === 'string' ? part.slice(a, b) : textReference({ ...part, start: part.start + a, end: part.start + b });
    at += length;
  }
  return out;
}

/** How long a run's input is in summaries (lists, memos, the Web UI's summary). */
const INPUT_EXCERPT_CHARS = 120;

/** The run's input as summaries show it: on one line, short, references as `[… N bytes]`. */
export function inputExcerpt(input: string): string {
  return textExcerpt(input, INPUT_EXCERPT_CHARS);
}

/** A short, one-line excerpt for memos and summaries: references shown as `[… N bytes]`. */
export function textExcerpt(text: string, maxChars: number): string {
  const plain = hasTextReferences(text)
    ? textParts(text)
        .map((part) => (typeof part === 'string' ? part : `[… ${part.bytes} bytes]`))
        .join('')
    : text;
  const line = plain.replace(/\s+/g, ' ').trim();
  return line.length > maxChars ? `${line.slice(0, maxChars - 1)}…` : line;
}

/**
 * At least how many characters `value` takes as JSON once its references are replaced, without
 * reading any text: a reference counts as the length of its text (escaping only adds), so a reader
 * can tell that an event will not fit its budget before loading the texts it names.
 */
export function minExpandedJsonLength(value: unknown): number {
  let texts = 0;
  const json = JSON.stringify(value, (_name, item: unknown) => {
    if (typeof item !== 'string' || !hasTextReferences(item)) return item;
    texts += textLength(item);
    return '';
  });
  return (json?.length ?? 0) + texts;
}
