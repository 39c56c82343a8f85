/**
 * The text of request bodies, read strictly: JSON and forms must be UTF-8, and a form has at most
 * `MAX_FORM_FIELDS` fields. The platform's own readers (`Response.json()`, `formData()`) replace
 * bytes that are not UTF-8 with U+FFFD, so a run would start with an input the client never sent;
 * here such a body is a 400 that names what is wrong, and nothing starts.
 *
 * Forms are parsed here rather than by `formData()` for the same reason: an urlencoded value's
 * percent-escapes (`%FF`) and a multipart text field's raw bytes are only checked where the bytes
 * still are. Multipart follows the WHATWG multipart/form-data parser (RFC 7578), as browsers and
 * Agno's clients write it; parts with a filename are kept as files, unchecked.
 */
import { HttpError } from './errors.ts';

/** Fields a form may have (as Starlette's default `max_fields`): each costs a little to parse; no request needs more. */
export const MAX_FORM_FIELDS = 1000;

export type FormValue = string | File;
/** Field names to their values, in order; no prototype, so `__proto__` is a plain field name. */
export type FormFields = Record<string, FormValue | FormValue[]>;

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The bytes as UTF-8 text, or a 400 naming `what` when they are not UTF-8. */
export function decodeUtf8(bytes: Uint8Array, what: string): string {
  try {
    return utf8.decode(bytes);
  } catch {
    throw new HttpError(400, `${what} is not valid UTF-8.`);
  }
}

function tooManyFields(): HttpError {
  return new HttpError(400, `The form has more than ${MAX_FORM_FIELDS} fields.`);
}

function addField(fields: FormFields, name: string, value: FormValue): void {
  const held = fields[name];
  if (held === undefined) fields[name] = value;
  else if (Array.isArray(held)) held.push(value);
  else fields[name] = [held, value];
}

/** The value of an ASCII hex digit, or -1. */
function hexValue(byte: number | undefined): number {
  if (byte === undefined) return -1;
  if (byte >= 0x30 && byte <= 0x39) return byte - 0x30;
  const lower = byte | 0x20;
  return lower >= 0x61 && lower <= 0x66 ? lower - 0x61 + 10 : -1;
}

/** WHATWG percent-decoding: `%` and two hex digits is that byte, any other byte is itself; `+` is a space. */
function percentDecode(text: string): Uint8Array {
  const bytes = Buffer.from(text.replaceAll('+', ' '), 'utf8');
  const out = Buffer.alloc(bytes.length);
  let length = 0;
  for (let i = 0; i < bytes.length; i++) {
    const high = bytes[i] === 0x25 ? hexValue(bytes[i + 1]) : -1;
    const low = high === -1 ? -1 : hexValue(bytes[i + 2]);
    if (low === -1) {
      out[length++] = bytes[i]!;
    } else {
      out[length++] = high * 16 + low;
      i += 2;
    }
  }
  return out.subarray(0, length);
}

/** An application/x-www-form-urlencoded body. */
export function parseUrlencoded(body: Uint8Array): FormFields {
  const text = decodeUtf8(body, 'The form');
  const fields: FormFields = Object.create(null);
  let count = 0;
  for (const pair of text.split('&')) {
    if (pair === '') continue;
    if (++count > MAX_FORM_FIELDS) throw tooManyFields();
    const equals = pair.indexOf('=');
    const rawName = equals === -1 ? pair : pair.slice(0, equals);
    const rawValue = equals === -1 ? '' : pair.slice(equals + 1);
    const name = decodeUtf8(percentDecode(rawName), 'A form field name (percent-decoded)');
    addField(fields, name, decodeUtf8(percentDecode(rawValue), `Form field ${JSON.stringify(name)} (percent-decoded)`));
  }
  return fields;
}

const CRLF = Buffer.from('\r\n');
const HEADERS_END = Buffer.from('\r\n\r\n');

function unreadable(why: string): HttpError {
  return new HttpError(400, `The form body could not be read: ${why}.`);
}

/** A quoted parameter of a Content-Disposition header, such as `name="x"` (undefined when absent). */
function dispositionParameter(header: string, parameter: string): string | undefined {
  // Browsers percent-encode a `"` in names (`%22`) and escape nothing else: the value ends at the next quote.
  return new RegExp(`;\\s*${parameter}="([^"]*)"`, 'i').exec(header)?.[1];
}

/** A multipart/form-data body with this boundary (the `boundary` parameter of its content type). */
export function parseMultipart(body: Uint8Array, boundary: string | undefined): FormFields {
  if (!boundary) throw unreadable('its content type has no boundary');
  const input = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  const delimiter = Buffer.from(`--${boundary}`, 'utf8');
  const nextDelimiter = Buffer.concat([CRLF, delimiter]);
  const fields: FormFields = Object.create(null);
  let count = 0;
  // Leading and trailing blank lines are tolerated, as the platform's reader does.
  let position = 0;
  while (input.subarray(position, position + 2).equals(CRLF)) position += 2;
  let end = input.length;
  while (end >= 2 && input.subarray(end - 2, end).equals(CRLF)) end -= 2;
  if (!input.subarray(position, position + delimiter.length).equals(delimiter)) throw unreadable('it does not start with its boundary');
  position += delimiter.length;
  for (;;) {
    if (position === end - 2 && input[position] === 0x2d && input[position + 1] === 0x2d) return fields;
    if (!input.subarray(position, position + 2).equals(CRLF)) throw unreadable('a boundary is not followed by a line break');
    position += 2;
    const headersEnd = input.indexOf(HEADERS_END, position);
    const bodyEnd = headersEnd === -1 ? -1 : input.indexOf(nextDelimiter, headersEnd + 4);
    if (headersEnd === -1 || bodyEnd === -1 || bodyEnd >= end) throw unreadable('a part does not end with the boundary');
    if (++count > MAX_FORM_FIELDS) throw tooManyFields();
    const headers = decodeUtf8(input.subarray(position, headersEnd), 'A form part’s header').split('\r\n');
    const disposition = headers.find((line) => /^content-disposition\s*:/i.test(line));
    const name = disposition && /^content-disposition\s*:\s*form-data\s*;/i.test(disposition) ? dispositionParameter(disposition, 'name') : undefined;
    if (name === undefined) throw unreadable('a part has no Content-Disposition: form-data with a name');
    // A file is a part with a filename, quoted or in RFC 5987's `filename*=` form.
    const filename = dispositionParameter(disposition!, 'filename') ?? (/;\s*filename\*=/i.test(disposition!) ? 'file' : undefined);
    const content = input.subarray(headersEnd + 4, bodyEnd);
    if (filename === undefined) {
      addField(fields, name, decodeUtf8(content, `Form field ${JSON.stringify(name)}`));
    } else {
      const type = headers.find((line) => /^content-type\s*:/i.test(line))?.replace(/^content-type\s*:\s*/i, '');
      addField(fields, name, new File([content], filename, { type: type ?? 'text/plain' }));
    }
    position = bodyEnd + nextDelimiter.length;
  }
}
