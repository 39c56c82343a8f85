/**
 * `POST /codec/encode`: what the Web UI sends before it signals or starts a workflow with input
 * an operator typed. Payloads travel as they are: workers read inline payloads of any size, and
 * the claim-check is the SDK's to apply when it writes history, not a codec's.
 */
import type { ServerDeps } from '../http/context.ts';
import { defineRoute } from '../http/route.ts';
import { answer, bodyErrors, json, jsonBody, ref } from '../openapi/parts.ts';
import { CodecPayloads } from './schemas.ts';

export const encodePayloads = defineRoute<ServerDeps>()({
  method: 'post',
  path: '/codec/encode',
  operation: () => ({
    summary: "Encode payloads for Temporal (Temporal's remote codec protocol): they are sent as they are",
    requestBody: jsonBody('CodecPayloads'),
    responses: { '200': answer('The same payloads', json(ref('CodecPayloadsResponse'))), ...bodyErrors('json') },
  }),
  body: { schema: CodecPayloads, accepts: 'json' },
  handle(c, _deps, { body }) {
    return c.json({ payloads: body.payloads });
  },
});
