/** Request bodies as a fuzzer sends them: JSON built by hand, urlencoded and multipart forms. */
import type { Rng } from './prng.ts';

/** Percent-encodes every byte of the UTF-8 encoding that is not unreserved (lone surrogates become U+FFFD). */
export function pct(value: string): string {
  let out = '';
  for (const byte of Buffer.from(value, 'utf8')) {
    const ch = String.fromCharCode(byte);
    out += /[A-Za-z0-9\-._~]/.test(ch) ? ch : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

export interface FilePart {
  file: true;
  filename: string;
  type: string;
  content: string;
}
export type FormValue = string | FilePart;
export type Encoding = 'json' | 'form' | 'multipart';

export function isFile(value: unknown): value is FilePart {
  return typeof value === 'object' && value !== null && (value as FilePart).file === true;
}

/** A field value as a form carries it: objects and arrays as JSON text, as the server expects. */
export function toFormValue(value: unknown): FormValue {
  if (isFile(value)) return value;
  if (typeof value === 'string') return value;
  if (typeof value === 'object' || value === undefined) return JSON.stringify(value ?? null);
  return String(value);
}

export function jsonText(fields: Record<string, unknown>): string {
  // Built by hand so keys such as `__proto__` go on the wire as plain keys.
  return `{${Object.entries(fields)
    .map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`)
    .join(',')}}`;
}

export function multipart(fields: [string, FormValue][], boundary: string): Buffer {
  const parts: Buffer[] = [];
  for (const [name, value] of fields) {
    const quoted = name.replace(/"/g, '%22').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
    if (isFile(value)) {
      parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${quoted}"; filename="${value.filename}"\r\nContent-Type: ${value.type}\r\n\r\n`));
      parts.push(Buffer.from(value.content));
    } else {
      parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${quoted}"\r\n\r\n`));
      parts.push(Buffer.from(value, 'utf8'));
    }
    parts.push(Buffer.from('\r\n'));
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return Buffer.concat(parts);
}

export interface EncodedBody {
  body: Buffer;
  contentType: string;
}

export function encode(fields: Record<string, unknown>, encoding: Encoding, rng: Rng): EncodedBody {
  switch (encoding) {
    case 'json':
      return { body: Buffer.from(jsonText(fields), 'utf8'), contentType: 'application/json' };
    case 'form': {
      const params = new URLSearchParams();
      for (const [k, v] of Object.entries(fields)) {
        const value = toFormValue(v);
        params.append(k, isFile(value) ? value.content : value);
      }
      return { body: Buffer.from(params.toString()), contentType: 'application/x-www-form-urlencoded' };
    }
    case 'multipart': {
      const boundary = `----fuzz${rng.alnum(16)}`;
      const entries = Object.entries(fields).map(([k, v]) => [k, toFormValue(v)] as [string, FormValue]);
      return { body: multipart(entries, boundary), contentType: `multipart/form-data; boundary=${boundary}` };
    }
  }
}
