/**
 * Payloads as a person should see them: what Temporal's Web UI shows of a run's history through
 * the remote codec protocol (src/server/codec/). History holds claims for payloads over the
 * claim-check threshold and text references inside the rest (docs/adr/0005, 0006); an operator
 * deciding where to reset wants the conversation and the tool output instead. Each claim is
 * resolved from the blob store, each text reference in a JSON payload is expanded, and a payload
 * larger than the cap is cut, with a visible marker, so a browser never receives megabytes.
 *
 * Read-only: nothing here changes what a worker reads. A payload that cannot be shown whole (a
 * blob missing, changed) is shown as a sentence saying so, never as an error for the whole page.
 */
import { StorageDriverClaim } from '@temporalio/common';
import type { Payload } from '@temporalio/common';
import { decodeReferencePayload, isReferencePayload } from '@temporalio/common/lib/internal-non-workflow/extstore-helpers.js';
import type { RunTexts } from './run-texts.ts';
import { BLOB_DRIVER_NAME } from './storage-driver.ts';
import type { BlobStorageDriver } from './storage-driver.ts';

/** Largest payload shown whole; a bigger one is cut to this many bytes of its JSON text. */
export const DEFAULT_VIEW_MAX_BYTES = 256 * 1024;

const JSON_ENCODING = 'json/plain';
const ESCAPED_REFERENCE_START = JSON.stringify('\u0000blob:').slice(1, -1);

export interface PayloadViewOptions {
  driver: BlobStorageDriver | undefined;
  texts: RunTexts;
  maxBytes?: number;
}

export async function viewPayloads(payloads: readonly Payload[], options: PayloadViewOptions): Promise<Payload[]> {
  return Promise.all(payloads.map((payload) => viewPayload(payload, options)));
}

async function viewPayload(payload: Payload, options: PayloadViewOptions): Promise<Payload> {
  const maxBytes = options.maxBytes ?? DEFAULT_VIEW_MAX_BYTES;
  let shown = payload;
  try {
    shown = await resolveClaim(payload, options.driver);
    shown = await expandTexts(shown, options.texts);
  } catch (err) {
    return jsonPayload(`[not shown: ${(err as Error).message}]`);
  }
  const size = shown.data?.byteLength ?? 0;
  if (size <= maxBytes || encodingOf(shown) !== JSON_ENCODING) return shown;
  const text = Buffer.from(shown.data!).toString('utf8');
  // Cut by characters, a little under the cap: the marker and JSON escaping add some.
  const cut = Buffer.from(text, 'utf8').subarray(0, maxBytes).toString('utf8').replace(/\uFFFD$/, '');
  return jsonPayload(`${cut}\n[cut for display at ${maxBytes.toLocaleString('en-US')} of ${size.toLocaleString('en-US')} bytes]`);
}

/** The payload a claim stands for, from the blob store; any other payload as it is. */
export async function resolveClaim(payload: Payload, driver: BlobStorageDriver | undefined): Promise<Payload> {
  if (!isReferencePayload(payload)) return payload;
  const reference = decodeReferencePayload(payload);
  if (reference.driverName !== BLOB_DRIVER_NAME || !driver) return payload;
  const [stored] = await driver.retrieve({}, [new StorageDriverClaim(reference.claimData)]);
  return stored!;
}

/** A JSON payload with every text reference in it replaced by its text. */
async function expandTexts(payload: Payload, texts: RunTexts): Promise<Payload> {
  if (encodingOf(payload) !== JSON_ENCODING || !payload.data) return payload;
  const text = Buffer.from(payload.data).toString('utf8');
  // A reference's NUL marks are escaped in JSON text: a cheap test before parsing.
  if (!text.includes(ESCAPED_REFERENCE_START)) return payload;
  const expanded = await texts.expandAll(JSON.parse(text) as unknown);
  return { ...payload, data: Buffer.from(JSON.stringify(expanded), 'utf8') };
}

function encodingOf(payload: Payload): string | undefined {
  const encoding = payload.metadata?.encoding;
  return encoding ? Buffer.from(encoding).toString('utf8') : undefined;
}

function jsonPayload(value: unknown): Payload {
  return { metadata: { encoding: Buffer.from(JSON_ENCODING) }, data: Buffer.from(JSON.stringify(value), 'utf8') };
}
