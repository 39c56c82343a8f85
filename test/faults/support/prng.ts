/** A small seeded PRNG (mulberry32) and helpers, so a fuzz run is reproducible from its seed. */
import { isCi } from '../../support/ci.ts';

export class Rng {
  private state: number;
  readonly seed: number;

  constructor(seed: number) {
    this.seed = seed >>> 0;
    this.state = this.seed;
  }

  /** A float in [0, 1). */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list');
    return items[Math.floor(this.next() * items.length)]!;
  }

  /** Picks by weight: `[[weight, value], ...]`. */
  weighted<T>(items: readonly (readonly [number, T])[]): T {
    const total = items.reduce((sum, [w]) => sum + w, 0);
    let r = this.next() * total;
    for (const [w, value] of items) {
      if ((r -= w) < 0) return value;
    }
    return items.at(-1)![1];
  }

  alnum(length: number): string {
    const chars = 'abcdefghijklmnopqrstuvwxyz0123456789';
    let out = '';
    for (let i = 0; i < length; i++) out += chars[Math.floor(this.next() * chars.length)];
    return out;
  }

  /** Text full of what breaks naive code: control characters, RTL marks, emoji, lone surrogates, quotes. */
  nasty(length: number): string {
    const pieces = [
      '\u0000', '\u0001', '\u0007', '\b', '\t', '\n', '\r', '\u001b[31m', '\u007f', '\u0085', '\u00a0', '\u00ff',
      '\u200b', '\u200d', '\u202e', '\u2028', '\u2029', '\ufeff', '\ufffd', '\uffff', '\ud800', '\udfff',
      '😀', '👩‍👩‍👧‍👦', '☃', 'é', 'ß', 'Ω', '中文', 'עברית', 'العربية', 'ﷺ', '𝕏',
      "'", '"', '\\', '`', '%', '%00', '%zz', '&', '=', '?', '#', '/', '../', '<', '>', '{', '}', '[', ']',
      "' OR '1'='1", '${x}', '{{x}}', '__proto__', 'constructor', 'null', 'undefined', 'NaN', '-1',
    ];
    let out = '';
    while (out.length < length) out += this.pick(pieces);
    return out.slice(0, Math.max(length, 1));
  }
}

/** A seed from the environment (`FUZZ_SEED`) or a fresh random one. */
export function seedFromEnv(name = 'FUZZ_SEED'): number {
  const given = process.env[name];
  if (given !== undefined && given !== '') {
    const seed = Number(given);
    if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new Error(`${name} must be an integer in [0, 2^32), got ${given}`);
    return seed;
  }
  // CI runs one fixed, known-good schedule, so a red build always means a regression; locally
  // every run explores a new seed (printed, to reproduce).
  if (isCi()) return 20261123;
  return Math.floor(Math.random() * 0xffffffff);
}
