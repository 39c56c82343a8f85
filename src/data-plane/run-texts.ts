/**
 * Texts kept by reference (see src/contracts/text-refs.ts): stored by the activity that produced
 * them, read back by whoever needs the text itself (the model activity, user function activities,
 * the engine's readers).
 *
 * A text's blob lives under its run's prefix (blob-keys.ts), so `npm run blobs -- gc` finds it,
 * as `<producer>-<sha256 prefix of the text>`: the producer (execution and activity) makes the
 * key deterministic per call, so a retried call that produces the same text overwrites its blob,
 * and the digest keeps an attempt that produced another text from replacing the one the run kept.
 * Blobs never change after they are written, so read texts are cached by key.
 *
 * A reader that expands many events at once (a page of a run's log: every content chunk of a big
 * reply is a reference to a part of the same text) loads each text once: a load in flight is
 * shared by everyone who asks for its text meanwhile, and the parts are cut from that one string.
 * Loads in flight across the process draw on one byte budget, so readers of many big texts at once
 * hold a bounded amount of them while loading, not one copy each.
 */
import { createHash } from 'node:crypto';
import { hasTextReferences, textParts, textReference } from '../contracts/text-refs.ts';
import { parseRunKey, runPrefix } from './blob-keys.ts';
import type { BlobStore } from './blob-store.ts';
import { ByteBudget } from './byte-budget.ts';

/**
 * Texts up to this size stay inline. Small enough that a model call's input (instructions, tool
 * schemas, the recent messages) stays a few KB, big enough that ordinary replies and tool
 * outputs cost no blob round trip.
 */
export const INLINE_TEXT_BYTES = 4 * 1024;
const DIGEST_CHARS = 16;
/** Characters of read texts kept in memory (UTF-16: twice as many bytes). */
const CACHE_CHARS = 32 * 1024 * 1024;
/** Bytes of texts being loaded at once in this process (a bigger text loads alone). */
export const TEXT_LOAD_BYTES = 64 * 1024 * 1024;
const loadBudget = new ByteBudget(TEXT_LOAD_BYTES);

/** Where a produced text belongs: its run, and a name for its producer that is unique in the run (one key segment). */
export interface TextPlace {
  namespace: string;
  workflowId: string;
  producer: string;
}

/** Whose texts a reader may read: a run's own, its child runs' and its parents' (ids joined by `.`). */
export interface TextScope {
  namespace: string;
  runId: string;
}

export class RunTexts {
  readonly blobs: BlobStore;
  private readonly inlineBytes: number;
  private readonly cache = new Map<string, string>();
  /** Loads in flight, by key: whoever asks for a text being loaded waits for that load. */
  private readonly loading = new Map<string, Promise<string>>();
  private cachedChars = 0;

  constructor(blobs: BlobStore, options: { inlineBytes?: number } = {}) {
    this.blobs = blobs;
    this.inlineBytes = options.inlineBytes ?? INLINE_TEXT_BYTES;
  }

  /** The text itself when small, else stored and replaced by a reference to it. */
  async keep(text: string, place: TextPlace): Promise<string> {
    // A cheap test first: a string of n UTF-16 units has at most 3n UTF-8 bytes.
    if (text.length * 3 <= this.inlineBytes && !hasTextReferences(text)) return text;
    const bytes = Buffer.from(text, 'utf8');
    if (bytes.byteLength <= this.inlineBytes && !hasTextReferences(text)) return text;
    const key = `${runPrefix(place.namespace, place.workflowId)}${place.producer}-${digestOf(bytes)}`;
    try {
      await this.blobs.put(key, bytes);
    } catch (err) {
      throw new Error(`Could not store a ${bytes.byteLength.toLocaleString('en-US')}-byte text in the blob store (${this.blobs.location}): ${(err as Error).message}`, { cause: err });
    }
    this.remember(key, text);
    return textReference({ key, bytes: bytes.byteLength, length: text.length });
  }

  /** The text with every reference replaced by the text it names. */
  async expand(text: string, scope?: TextScope): Promise<string> {
    if (!hasTextReferences(text)) return text;
    let out = '';
    for (const part of textParts(text)) {
      if (typeof part === 'string') out += part;
      else out += (await this.read(part.key, part.bytes, scope)).slice(part.start, part.end);
    }
    return out;
  }

  /** `value` (JSON-like) with every reference in its strings replaced: a copy where there were any. */
  async expandAll<T>(value: T, scope?: TextScope): Promise<T> {
    if (!holdsReferences(value)) return value;
    if (typeof value === 'string') return (await this.expand(value, scope)) as T;
    if (Array.isArray(value)) return (await Promise.all(value.map((item) => this.expandAll(item, scope)))) as T;
    if (typeof value !== 'object' || value === null) return value;
    const entries = await Promise.all(Object.entries(value).map(async ([name, item]) => [name, await this.expandAll(item, scope)] as const));
    return Object.fromEntries(entries) as T;
  }

  private read(key: string, bytes: number, scope: TextScope | undefined): Promise<string> {
    if (scope && !inScope(key, scope)) return Promise.reject(new Error(`The text ${key} does not belong to run ${scope.runId}.`));
    const cached = this.cache.get(key);
    if (cached !== undefined) {
      // Most recently used last.
      this.cache.delete(key);
      this.cache.set(key, cached);
      return Promise.resolve(cached);
    }
    let load = this.loading.get(key);
    if (!load) {
      load = this.load(key, bytes).finally(() => this.loading.delete(key));
      this.loading.set(key, load);
    }
    return load;
  }

  private async load(key: string, bytes: number): Promise<string> {
    const release = await loadBudget.take(bytes);
    try {
      const stored = await this.blobs.get(key);
      if (!stored) throw new Error(`The text ${key} (${bytes.toLocaleString('en-US')} bytes) is missing from the blob store (${this.blobs.location}): was it deleted, or is this process using another store than the one that wrote it?`);
      if (!key.endsWith(`-${digestOf(stored)}`)) throw new Error(`The text ${key} in ${this.blobs.location} does not match its digest: it was changed after it was stored.`);
      const text = Buffer.from(stored.buffer, stored.byteOffset, stored.byteLength).toString('utf8');
      this.remember(key, text);
      return text;
    } finally {
      release();
    }
  }

  private remember(key: string, text: string): void {
    if (text.length > CACHE_CHARS / 4 || this.cache.has(key)) return;
    this.cache.set(key, text);
    this.cachedChars += text.length;
    for (const [oldest, value] of this.cache) {
      if (this.cachedChars <= CACHE_CHARS) break;
      this.cache.delete(oldest);
      this.cachedChars -= value.length;
    }
  }
}

function holdsReferences(value: unknown): boolean {
  if (typeof value === 'string') return hasTextReferences(value);
  if (typeof value !== 'object' || value === null) return false;
  return (Array.isArray(value) ? value : Object.values(value)).some(holdsReferences);
}

function digestOf(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex').slice(0, DIGEST_CHARS);
}

function inScope(key: string, scope: TextScope): boolean {
  const owner = parseRunKey(key);
  if (!owner || owner.namespace !== scope.namespace) return false;
  const { workflowId } = owner;
  return workflowId === scope.runId || workflowId.startsWith(`${scope.runId}.`) || scope.runId.startsWith(`${workflowId}.`);
}
