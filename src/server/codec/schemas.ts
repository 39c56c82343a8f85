/**
 * Temporal's remote codec protocol (what its Web UI and CLI send to a codec endpoint): a JSON body
 * of payloads whose metadata values and data are base64, answered in the same shape.
 */
import { z } from 'zod';
import type { Payload } from '@temporalio/common';

const base64 = z.string().max(16 * 1024 * 1024).regex(/^[A-Za-z0-9+/_-]*={0,2}$/, 'must be base64');

export const CodecPayload = z.object({
  metadata: z.record(z.string().max(256), base64).optional().describe('Each value base64.'),
  data: base64.optional().describe('base64'),
});

export const CodecPayloads = z.object({
  payloads: z.array(CodecPayload).max(10_000),
});

export type CodecPayloadJson = z.output<typeof CodecPayload>;

export function fromCodecJson(payload: CodecPayloadJson): Payload {
  const metadata = Object.fromEntries(Object.entries(payload.metadata ?? {}).map(([name, value]) => [name, Buffer.from(value, 'base64')]));
  return { metadata, data: Buffer.from(payload.data ?? '', 'base64') };
}

export function toCodecJson(payload: Payload): CodecPayloadJson {
  const metadata = Object.fromEntries(Object.entries(payload.metadata ?? {}).map(([name, value]) => [name, Buffer.from(value ?? new Uint8Array()).toString('base64')]));
  return { metadata, data: Buffer.from(payload.data ?? new Uint8Array()).toString('base64') };
}
